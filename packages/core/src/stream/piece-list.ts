/**
 * Pieces held before they are joined into one flat string. A piece may be a view into the
 * chunk it was cut from, and each costs a string header, so every {@link PIECES_PER_BLOCK}
 * pieces are joined into a block: text that arrives one short piece at a time costs about two
 * bytes per character, not the 40 or so of a rope node per piece, and the list keeps at most
 * that many chunks alive. Joining each block once keeps the total work linear.
 */
export const PIECES_PER_BLOCK = 64;

/** An ordered list of strings to be joined with `separator`, held at bounded overhead. */
export class PieceList {
  private hasFirst = false;
  private first = '';
  /** Later pieces, joined by groups of {@link PIECES_PER_BLOCK}. */
  private blocks: string[] | undefined = undefined;
  /** The latest pieces, fewer than {@link PIECES_PER_BLOCK}. */
  private rest: string[] | undefined = undefined;

  constructor(private readonly separator: string) {}

  push(piece: string): void {
    if (!this.hasFirst) {
      this.hasFirst = true;
      this.first = piece;
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
      text = all.join(this.separator) + suffix;
      this.blocks = undefined;
      this.rest = undefined;
    }
    // Stryker disable next-line StringLiteral: only lets the chunk behind the piece be freed.
    this.first = '';
    this.hasFirst = false;
    return text;
  }
}
