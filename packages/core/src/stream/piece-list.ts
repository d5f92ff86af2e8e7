/**
 * Pieces held before they are joined into one flat string. A piece may be a view into the
 * chunk it was cut from, and each costs a string header, so every {@link PIECES_PER_BLOCK}
 * pieces are joined into a block: text that arrives one short piece at a time costs about two
 * bytes per character, not the 40 or so of a rope node per piece, and the list keeps at most
 * that many chunks alive. Joining each block once keeps the total work linear.
 */
export const PIECES_PER_BLOCK = 64;

/**
 * Pieces at least this long cost little per character to hold, so a list that allows it keeps
 * them as they are, and they are copied once (when taken) rather than twice.
 */
const LONG_PIECE = 512;

/** An ordered list of strings to be joined with `separator`, held at bounded overhead. */
export class PieceList {
  private hasFirst = false;
  private first = '';
  /** Later pieces, joined by groups of {@link PIECES_PER_BLOCK}. */
  private blocks: string[] | undefined = undefined;
  /** The latest pieces, fewer than {@link PIECES_PER_BLOCK}. */
  private rest: string[] | undefined = undefined;

  /**
   * @param separator Put between the pieces when taken.
   * @param keepLongPieces Keep long pieces ungrouped. Only for a list whose pieces never view a
   *   much larger string: a kept piece keeps the whole string it was cut from alive.
   */
  constructor(
    private readonly separator: string,
    private readonly keepLongPieces = false,
  ) {}

  push(piece: string): void {
    if (!this.hasFirst) {
      this.hasFirst = true;
      this.first = piece;
      return;
    }
    if (this.keepLongPieces && piece.length >= LONG_PIECE && this.rest === undefined) {
      if (this.blocks === undefined) this.blocks = [];
      this.blocks.push(piece);
      return;
    }
    if (this.rest === undefined) this.rest = [];
    this.rest.push(piece);
    if (this.rest.length === PIECES_PER_BLOCK) {
      if (this.blocks === undefined) this.blocks = [];
      this.blocks.push(this.rest.join(this.separator));
      this.rest = undefined;
    }
  }

  /** Joins every piece, appends `suffix` with no separator, and empties the list. */
  take(suffix = ''): string {
    const { blocks, rest } = this;
    let text: string;
    // The common case, one piece, skips the array; the general path gives the same text.
    // Stryker disable next-line ConditionalExpression: see above.
    if (blocks === undefined && rest === undefined) {
      text = this.first + suffix;
    } else {
      const all = [this.first];
      if (blocks !== undefined) for (const block of blocks) all.push(block);
      if (rest !== undefined) for (const piece of rest) all.push(piece);
      // The suffix joins the last piece before the one join: `join() + suffix` would make a
      // rope that is copied again, whole, when first read.
      all[all.length - 1] += suffix;
      text = all.join(this.separator);
      this.blocks = undefined;
      this.rest = undefined;
    }
    // Stryker disable next-line StringLiteral: only lets the chunk behind the piece be freed.
    this.first = '';
    this.hasFirst = false;
    return text;
  }
}
