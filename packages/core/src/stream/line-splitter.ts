import { StreamParseError } from '../errors/stream-parse-error.js';

const LF = 10;

/** Options of {@link LineSplitter}. */
export interface LineSplitterOptions {
  /** Longest line, in UTF-16 code units, before a `StreamParseError`; default unlimited. */
  maxBufferSize?: number;
}

/**
 * Cuts text into lines at `\n`, `\r\n` or a lone `\r`, across any chunking of the input.
 *
 * A pending partial line is kept as a list of pieces and joined once, when its end arrives:
 * appending and re-searching one growing string would make a long line quadratic.
 */
export class LineSplitter {
  private readonly parts: string[] = [];
  private pendingLength = 0;
  private skipLeadingLF = false;
  private readonly maxBufferSize: number;

  constructor(options: LineSplitterOptions = {}) {
    this.maxBufferSize = options.maxBufferSize ?? Number.POSITIVE_INFINITY;
  }

  /** Feeds a piece of text; `onLine` receives each completed line without its terminator. */
  push(text: string, onLine: (line: string) => void): void {
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
      let line = text.slice(pos, end);
      if (this.parts.length > 0) {
        this.parts.push(line);
        line = this.parts.join('');
        this.parts.length = 0;
        this.pendingLength = 0;
      }
      onLine(line);
      pos = next;
      if (lf !== -1 && lf < pos) lf = text.indexOf('\n', pos);
      if (cr !== -1 && cr < pos) cr = text.indexOf('\r', pos);
    }
    if (pos < n) {
      const rest = pos === 0 ? text : text.slice(pos);
      this.parts.push(rest);
      this.pendingLength += rest.length;
      if (this.pendingLength > this.maxBufferSize) {
        throw new StreamParseError(
          `A line exceeded the maximum buffer size of ${this.maxBufferSize} characters`,
          { kind: 'max-buffer-size-exceeded', line: this.parts[0] },
        );
      }
    }
  }

  /** Emits the last line if the input did not end with a line break. */
  flush(onLine: (line: string) => void): void {
    this.skipLeadingLF = false;
    if (this.parts.length === 0) return;
    const line = this.parts.join('');
    this.parts.length = 0;
    this.pendingLength = 0;
    onLine(line);
  }
}
