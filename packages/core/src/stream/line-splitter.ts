import { StreamParseError } from '../errors/stream-parse-error.js';
import { PieceList } from './piece-list.js';

const LF = 10;

/** Where `char` next occurs in `text` from `from` on, or `text.length` when it does not. */
function indexOrEnd(text: string, char: string, from: number): number {
  const index = text.indexOf(char, from);
  return index === -1 ? text.length : index;
}

/** Options of {@link LineSplitter}. */
export interface LineSplitterOptions {
  /**
   * Longest line, in UTF-16 code units, before a `StreamParseError` of kind
   * `max-buffer-size-exceeded`; default unlimited. A line is refused as soon as the part of it
   * held between chunks is longer, so an unterminated line never grows past this.
   */
  maxBufferSize?: number;
}

/**
 * Cuts text into lines at `\n`, `\r\n` or a lone `\r`, across any chunking of the input,
 * and hands each to `onLine` as the span `text[start, end)`, so a subclass that only
 * inspects a line (an SSE field name, say) never pays for a copy of it. Subclassing rather
 * than a callback lets V8 inline the per-line work into the loop (see `pnpm bench`).
 *
 * Only the newly arrived text is ever searched, so a long line costs linear time, and a
 * partial line is held at a bounded cost per character (see {@link PieceList}).
 */
export abstract class LineSplitter {
  /**
   * The partial line, as it arrived. Only its first piece can be a view of a chunk's text (the
   * part after its last line end); later pieces are whole texts, so long ones may stay apart.
   */
  // Stryker disable next-line BooleanLiteral: grouped pieces give the same line, one copy more.
  private readonly pending = new PieceList('', true);
  /** Its length in UTF-16 code units. */
  private pendingLength = 0;
  private skipLeadingLF = false;
  /** Longest line allowed, in UTF-16 code units. */
  protected readonly maxBufferSize: number;

  constructor(options: LineSplitterOptions = {}) {
    this.maxBufferSize = options.maxBufferSize ?? Number.POSITIVE_INFINITY;
  }

  /** Receives one completed line, without its terminator, as `text[start, end)`. */
  protected abstract onLine(text: string, start: number, end: number): void;

  /**
   * No part of a line is held and no `\r` waits for its `\n`: the next text starts a line, so a
   * subclass may cut it itself until its last line end (see the SSE parser's fast path).
   */
  // A getter that says "not at a line start" only sends the text to `push`: same lines, slower.
  // Stryker disable next-line BlockStatement: see above.
  protected get atLineStart(): boolean {
    return this.pendingLength === 0 && !this.skipLeadingLF;
  }

  /** Feeds a piece of text; each completed line goes to `onLine`. */
  push(text: string): void {
    const n = text.length;
    let pos = 0;
    if (this.skipLeadingLF && n > 0) {
      this.skipLeadingLF = false;
      if (text.charCodeAt(0) === LF) pos = 1;
    }
    // Each search runs from the current position; not found reads as `n`, so the text is
    // searched for each terminator at most once per line it contains.
    let lf = indexOrEnd(text, '\n', pos);
    let cr = indexOrEnd(text, '\r', pos);
    while (lf < n || cr < n) {
      let end: number;
      let next: number;
      // Stryker disable next-line EqualityOperator: cr and lf never meet inside the loop.
      if (cr < lf) {
        end = cr;
        if (cr + 1 < n) {
          next = text.charCodeAt(cr + 1) === LF ? cr + 2 : cr + 1;
        } else {
          // A chunk-final CR may be the first half of CRLF: drop a LF that starts the next chunk.
          next = n;
          this.skipLeadingLF = true;
        }
      } else {
        end = lf;
        next = lf + 1;
      }
      if (this.pendingLength + end - pos > this.maxBufferSize) {
        this.tooLong(text.slice(pos, end));
      }
      // Without a held part the line is a span of `text`: no copy. Taking an empty held part
      // gives the same line, so the check only saves the copy.
      // Stryker disable next-line ConditionalExpression: see above.
      if (this.pendingLength !== 0) {
        const line = this.release(text.slice(pos, end));
        this.onLine(line, 0, line.length);
      } else {
        this.onLine(text, pos, end);
      }
      pos = next;
      // Searching again from `pos` would find the same index: the guards only keep the text
      // from being searched twice (quadratic on CR-only text), so their mutants are equivalent.
      // Stryker disable next-line all: see above.
      if (lf < pos) lf = indexOrEnd(text, '\n', pos);
      // Stryker disable next-line all: see above.
      if (cr < pos) cr = indexOrEnd(text, '\r', pos);
    }
    // Holding an empty rest would change nothing but the work done.
    // Stryker disable next-line ConditionalExpression,EqualityOperator: see above.
    if (pos < n) this.holdWithinLimit(text.slice(pos));
  }

  /**
   * Feeds text that holds no `\n` or `\r` (the middle of a long line, as a byte-level search
   * already found): it is held without being searched again.
   */
  pushWithinLine(text: string): void {
    // Stryker disable next-line ConditionalExpression: holding an empty piece changes nothing.
    if (text.length === 0) return;
    this.skipLeadingLF = false;
    this.holdWithinLimit(text);
  }

  /** Emits the last line if the input did not end with a line break. */
  flush(): void {
    if (this.pendingLength === 0) return;
    const line = this.release('');
    this.onLine(line, 0, line.length);
  }

  /** Holds `piece` as part of the line, refusing a line that would grow past the limit. */
  private holdWithinLimit(piece: string): void {
    if (this.pendingLength + piece.length > this.maxBufferSize) this.tooLong(piece);
    this.hold(piece);
  }

  private hold(piece: string): void {
    this.pending.push(piece);
    this.pendingLength += piece.length;
  }

  /** Takes the partial line, with `tail` appended, as one string. */
  private release(tail: string): string {
    this.pendingLength = 0;
    return this.pending.take(tail);
  }

  private tooLong(tail: string): never {
    const line = this.release(tail);
    throw new StreamParseError(
      `A line exceeded the maximum buffer size of ${this.maxBufferSize} characters`,
      { kind: 'max-buffer-size-exceeded', line },
    );
  }
}
