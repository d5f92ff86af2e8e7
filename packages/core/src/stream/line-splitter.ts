import { StreamParseError } from '../errors/stream-parse-error.js';

const LF = 10;

/** Options of {@link LineSplitter}. */
export interface LineSplitterOptions {
  /** Longest line, in UTF-16 code units, before a `StreamParseError`; default unlimited. */
  maxBufferSize?: number;
}

/**
 * Cuts text into lines at `\n`, `\r\n` or a lone `\r`, across any chunking of the input,
 * and hands each to `onLine` as the span `text[start, end)`, so a subclass that only
 * inspects a line (an SSE field name, say) never pays for a copy of it. Subclassing rather
 * than a callback lets V8 inline the per-line work into the loop (see `pnpm bench`).
 *
 * A partial line is kept by appending (a V8 rope, flattened once when the line completes);
 * only the newly arrived text is ever searched, so a long line costs linear time.
 */
export abstract class LineSplitter {
  private pending = '';
  private skipLeadingLF = false;
  private readonly maxBufferSize: number;

  constructor(options: LineSplitterOptions = {}) {
    this.maxBufferSize = options.maxBufferSize ?? Number.POSITIVE_INFINITY;
  }

  /** Receives one completed line, without its terminator, as `text[start, end)`. */
  protected abstract onLine(text: string, start: number, end: number): void;

  /** Feeds a piece of text; each completed line goes to `onLine`. */
  push(text: string): void {
    const n = text.length;
    if (n === 0) return;
    let pos = 0;
    if (this.skipLeadingLF) {
      this.skipLeadingLF = false;
      if (text.charCodeAt(0) === LF) pos = 1;
    }
    let lf = text.indexOf('\n', pos);
    let cr = text.indexOf('\r', pos);
    while (lf !== -1 || cr !== -1) {
      let end: number;
      let next: number;
      if (cr !== -1 && (lf === -1 || cr < lf)) {
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
      if (this.pending !== '') {
        const line = this.pending + text.slice(pos, end);
        this.pending = '';
        this.onLine(line, 0, line.length);
      } else {
        this.onLine(text, pos, end);
      }
      pos = next;
      if (lf !== -1 && lf < pos) lf = text.indexOf('\n', pos);
      if (cr !== -1 && cr < pos) cr = text.indexOf('\r', pos);
    }
    if (pos < n) {
      this.pending += pos === 0 ? text : text.slice(pos);
      if (this.pending.length > this.maxBufferSize) {
        const line = this.pending;
        this.pending = '';
        throw new StreamParseError(
          `A line exceeded the maximum buffer size of ${this.maxBufferSize} characters`,
          { kind: 'max-buffer-size-exceeded', line },
        );
      }
    }
  }

  /** Emits the last line if the input did not end with a line break. */
  flush(): void {
    this.skipLeadingLF = false;
    if (this.pending === '') return;
    const line = this.pending;
    this.pending = '';
    this.onLine(line, 0, line.length);
  }
}
