import { createBomKeepingUtf8Decoder, decodeSpan, stripBom } from './utf8-decoder.js';

const LF = 10;
const CR = 13;
const NOTHING = new Uint8Array(0);

/** Node's search (memrchr), an order of magnitude faster than the typed array's own. */
const lastIndexOf = Buffer.prototype.lastIndexOf;

/**
 * Most bytes of an unfinished line held undecoded. A longer line is decoded as it arrives, so
 * what is held stays bounded (and the line's length in code units is checked as it grows).
 */
export const MAX_HELD_BYTES = 4096;

/**
 * Longest run of bytes that completes a held line copied next to it, so that both decode in one
 * call; past this the held line and the rest of the chunk are decoded separately.
 */
const MAX_COPIED_BYTES = 4096;

/** Where decoded text goes. */
export interface TextSink {
  push(text: string): void;
  /** Text known to hold no line end (the middle of a long line), so it needs no search. */
  pushWithinLine(text: string): void;
}

/** The index of the last `\n` or `\r` in `bytes`, or -1. */
function lastLineEnd(bytes: Uint8Array): number {
  // The end of a line is usually within the last few bytes; a chunk of one long line goes to
  // the native search after a short look. Both find the same index.
  // Stryker disable next-line ArithmeticOperator: starting past the end only reads undefined.
  let i = bytes.length - 1;
  // Stryker disable next-line ArithmeticOperator,EqualityOperator,ConditionalExpression: see above.
  for (const stop = i - 64; i >= 0 && i > stop; i--) {
    const byte = bytes[i];
    if (byte === LF || byte === CR) return i;
  }
  // Stryker disable next-line ConditionalExpression,EqualityOperator: -1 from both searches too.
  if (i < 0) return -1;
  return Math.max(lastIndexOf.call(bytes, LF, i), lastIndexOf.call(bytes, CR, i));
}

/** Copies `from[start, end)` into `to` at `at`. */
function copy(from: Uint8Array, start: number, end: number, to: Uint8Array, at: number): void {
  // A few bytes at a time (a token per chunk) copy faster by hand than through a view and `set`.
  // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: both copy the same.
  if (end - start <= 64) {
    // Stryker disable next-line EqualityOperator: one byte more lands past what is counted.
    for (let i = start; i < end; i++) to[at++] = from[i]!;
  } else {
    to.set(from.subarray(start, end), at);
  }
}

/** The index of the first `\n` or `\r` in `bytes`, which holds one. */
function firstLineEnd(bytes: Uint8Array): number {
  let i = 0;
  while (bytes[i] !== LF && bytes[i] !== CR) i++;
  return i;
}

/**
 * A UTF-8 decoder for line-oriented streams that decodes only complete lines: the bytes after
 * a chunk's last line end wait, undecoded, for the chunk that ends their line, and are then
 * decoded together with it in one call. Text that arrives a few bytes at a time (one token per
 * chunk) thus costs one decode per line rather than one per chunk, and each decode runs over a
 * span that splits no character, so it can use the fastest non-streaming decoder
 * ({@link decodeSpan}). The returned text always ends with a line end, except from `end()`, or
 * when a line outgrows {@link MAX_HELD_BYTES}: the rest of that line then streams through a
 * streaming decoder as it arrives.
 *
 * Line ends are ASCII bytes, which no character spans and which end any invalid sequence, so
 * decoding line by line gives the text of one decode of the whole stream. A BOM is dropped at
 * the start of the stream only, as `TextDecoder` does.
 */
export class LineUtf8Decoder {
  private readonly held = new Uint8Array(MAX_HELD_BYTES + MAX_COPIED_BYTES);
  private heldLength = 0;
  /** For a line longer than the held bytes allow: it goes through here until its end. */
  private readonly native = createBomKeepingUtf8Decoder();
  private streaming = false;
  private started = false;

  /** @param sink Receives the text, in pieces that are never empty. */
  constructor(private readonly sink: TextSink) {}

  /** Decodes a chunk: its complete lines go to the sink, the rest waits for its line end. */
  write(chunk: Uint8Array): void {
    const n = chunk.length;
    const end = lastLineEnd(chunk) + 1;
    if (end > 0) this.upTo(chunk, end);
    if (this.streaming || this.heldLength + n - end > MAX_HELD_BYTES) {
      // Stryker disable next-line BooleanLiteral: searched text gives the same lines, slower.
      this.stream(chunk.subarray(end), true);
    } else {
      copy(chunk, end, n, this.held, this.heldLength);
      this.heldLength += n - end;
    }
  }

  /** Ends the stream: what is held goes to the sink, an unfinished character as U+FFFD. */
  end(): void {
    // Stryker disable next-line BooleanLiteral: searched text gives the same lines, slower.
    this.stream(NOTHING, true);
    // Stryker disable next-line BooleanLiteral: see above.
    this.emit(this.native.end(), true);
  }

  /** Decodes the held bytes and `chunk[0, end)`, which ends with a line end. */
  private upTo(chunk: Uint8Array, end: number): void {
    if (this.streaming) {
      // The line end is ASCII: the streaming decoder holds nothing after it.
      this.streaming = false;
      this.emit(this.native.decode(chunk.subarray(0, end)), false);
      return;
    }
    // Without held bytes the copy below would give the same text: this only saves the copy.
    // Stryker disable next-line ConditionalExpression,BlockStatement: see above.
    if (this.heldLength === 0) {
      this.emit(decodeSpan(chunk, 0, end), false);
      return;
    }
    // Complete the held line in place: with the whole span when it is short, else up to the
    // line end that completes it, and the rest of the span apart.
    // Stryker disable next-line ConditionalExpression,EqualityOperator: both give the same text.
    const split = end <= MAX_COPIED_BYTES ? end : firstLineEnd(chunk) + 1;
    // Streaming gives the same text: the check only keeps the copy inside the buffer.
    // Stryker disable next-line ConditionalExpression,EqualityOperator: see above.
    if (this.heldLength + split <= this.held.length) {
      copy(chunk, 0, split, this.held, this.heldLength);
      const text = decodeSpan(this.held, 0, this.heldLength + split);
      this.heldLength = 0;
      this.emit(text, false);
    } else {
      // A line too long to copy next to the held bytes; it ends at `split`.
      this.stream(chunk.subarray(0, split), false);
      this.streaming = false;
    }
    // Stryker disable next-line ConditionalExpression,EqualityOperator: an empty span adds ''.
    if (split < end) this.emit(decodeSpan(chunk, split, end), false);
  }

  /**
   * Passes the held bytes, then `bytes`, through the streaming decoder; `withinLine` when
   * `bytes` hold no line end (held bytes never do).
   */
  private stream(bytes: Uint8Array, withinLine: boolean): void {
    this.streaming = true;
    // Stryker disable next-line EqualityOperator: nothing held decodes to an empty string.
    if (this.heldLength > 0) {
      // Stryker disable next-line BooleanLiteral: searched text gives the same lines, slower.
      this.emit(this.native.decode(this.held.subarray(0, this.heldLength)), true);
      this.heldLength = 0;
    }
    this.emit(this.native.decode(bytes), withinLine);
  }

  // A BOM is dropped once, from the first text of the stream.
  private emit(text: string, withinLine: boolean): void {
    if (text.length === 0) return;
    let rest = text;
    if (!this.started) {
      this.started = true;
      rest = stripBom(text);
      if (rest.length === 0) return;
    }
    if (withinLine) this.sink.pushWithinLine(rest);
    else this.sink.push(rest);
  }
}
