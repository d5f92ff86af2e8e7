import { StreamParseError } from '../errors/stream-parse-error.js';
import { LineUtf8Decoder } from './line-decoder.js';
import { LineSplitter } from './line-splitter.js';
import { PieceList } from './piece-list.js';

/** One server-sent event. */
export interface SseEvent {
  /** The `event` field; undefined when absent or empty (browsers call that `message`). */
  event: string | undefined;
  /** The `data` lines joined with `\n`. */
  data: string;
  /** The last event id seen on this stream so far, undefined when none was set. */
  id: string | undefined;
}

/** Options of {@link createSseParser}. */
export interface SseParserOptions {
  /** Called for each complete event. */
  onEvent: (event: SseEvent) => void;
  /** Called when a valid `retry` field arrives, with the delay in milliseconds. */
  onRetry?: (milliseconds: number) => void;
  /** Called for each comment line, with the text after the colon. */
  onComment?: (comment: string) => void;
  /**
   * Longest line, and longest data of one event (its `data` lines joined with `\n`), in UTF-16
   * code units, before a `StreamParseError` of kind `max-buffer-size-exceeded`. Default 16 Mi.
   *
   * What the parser holds for an unfinished line or event is about two bytes per code unit
   * (more for CJK text in V8's two-byte strings: up to four), plus up to 64 of the decoded
   * pieces it arrived in, plus at most 4 KiB of undecoded bytes of the current line; so the
   * default bounds it to about 32 MB of ASCII whatever the stream's shape (many short lines,
   * one-byte chunks), plus the chunks the caller feeds. A line is measured once it is decoded:
   * when it is whole, or as it grows past those 4 KiB.
   */
  maxBufferSize?: number;
}

/** A push parser for `text/event-stream` bytes. */
export interface SseParser {
  /** Feeds raw bytes, in any chunking; multi-byte characters may be split. */
  feed(chunk: Uint8Array): void;
  /** Ends the stream: flushes a trailing line and an event not followed by a blank line. */
  end(): void;
}

const LF = 10;
const COLON = 58;
const SPACE = 32;
const D = 100;
const A = 97;
const T = 116;

/**
 * Whether `text` holds `data` at `start`. Checked by hand: `charCodeAt` is inlined by the JIT,
 * a slice and compare are not.
 */
function isData(text: string, start: number): boolean {
  return (
    text.charCodeAt(start) === D &&
    text.charCodeAt(start + 1) === A &&
    text.charCodeAt(start + 2) === T &&
    text.charCodeAt(start + 3) === A
  );
}

/** Default bound on a line or an event's data: 16 Mi UTF-16 code units. */
export const DEFAULT_MAX_BUFFER_SIZE = 16 * 1024 * 1024;

class EventStreamParser extends LineSplitter implements SseParser {
  private readonly decoder = new LineUtf8Decoder(this);
  private readonly onEvent: (event: SseEvent) => void;
  private readonly onRetry: ((milliseconds: number) => void) | undefined;
  private readonly onComment: ((comment: string) => void) | undefined;
  /** The current event's data lines. */
  private readonly data = new PieceList('\n');
  /** Length of its data so far, separators included; -1 before the first data line. */
  private dataLength = -1;
  private eventType: string | undefined = undefined;
  private lastEventId: string | undefined = undefined;

  constructor(options: SseParserOptions) {
    const maxBufferSize = options.maxBufferSize ?? DEFAULT_MAX_BUFFER_SIZE;
    super({ maxBufferSize });
    this.onEvent = options.onEvent;
    this.onRetry = options.onRetry;
    this.onComment = options.onComment;
  }

  feed(chunk: Uint8Array): void {
    this.decoder.write(chunk);
  }

  /**
   * The common shape, text with `\n` line ends only that starts a line, is cut here: one search
   * per line, and an event of one `data` line is handed over straight from the text, without
   * the data list. Anything else (a `\r`, a held part, a line over the limit, the text after
   * the last `\n`) goes through the general splitter, which gives the same events.
   */
  override push(text: string): void {
    // The Stryker marks below hide only mutants that leave more text to the general splitter,
    // which gives the same events (the tests compare both against eventsource-parser); mutants
    // that let other text into this path are left for the tests to catch.
    let lf = text.indexOf('\n');
    if (lf === -1 || text.indexOf('\r') !== -1) {
      super.push(text);
      return;
    }
    let pos = 0;
    if (!this.atLineStart) {
      // The general splitter completes the held line.
      pos = lf + 1;
      super.push(text.slice(0, pos));
      lf = text.indexOf('\n', pos);
    }
    const max = this.maxBufferSize;
    while (lf !== -1 && lf - pos <= max) {
      if (
        this.dataLength < 0 &&
        // Stryker disable next-line ConditionalExpression,EqualityOperator,ArithmeticOperator: see above.
        lf - pos >= 5 &&
        // Stryker disable next-line ArithmeticOperator: see above.
        text.charCodeAt(lf + 1) === LF &&
        text.charCodeAt(pos + 4) === COLON &&
        isData(text, pos)
      ) {
        const from = text.charCodeAt(pos + 5) === SPACE ? pos + 6 : pos + 5;
        this.send(text.slice(from, lf));
        pos = lf + 2;
      } else {
        this.onLine(text, pos, lf);
        pos = lf + 1;
      }
      lf = text.indexOf('\n', pos);
    }
    // Stryker disable next-line ConditionalExpression,EqualityOperator: an empty rest adds nothing.
    if (pos < text.length) super.push(text.slice(pos));
  }

  end(): void {
    this.decoder.end();
    this.flush();
    this.dispatch();
  }

  private dispatch(): void {
    if (this.dataLength < 0) {
      this.eventType = undefined;
      return;
    }
    this.send(this.takeData());
  }

  /** Hands over an event with `data`; its type is used up. */
  private send(data: string): void {
    const type = this.eventType;
    this.eventType = undefined;
    this.onEvent({ event: type, data, id: this.lastEventId });
  }

  private takeData(): string {
    this.dataLength = -1;
    return this.data.take();
  }

  private appendData(value: string): void {
    this.data.push(value);
    this.dataLength += value.length + 1;
    if (this.dataLength > this.maxBufferSize) {
      throw new StreamParseError(
        `An event's data exceeded the maximum buffer size of ${this.maxBufferSize} characters`,
        { kind: 'max-buffer-size-exceeded', line: this.takeData() },
      );
    }
  }

  // Works on the span text[start, end) so the common `data: …` line costs one slice.
  protected onLine(text: string, start: number, end: number): void {
    if (start === end) {
      this.dispatch();
      return;
    }
    // The search stops at the end of the line: `indexOf` would run on through the rest of the
    // chunk, which is quadratic on a chunk of colon-less lines.
    let colon = start;
    while (colon < end && text.charCodeAt(colon) !== COLON) colon++;
    // One space after the colon is dropped. No bounds check is needed: at `end` is the line's
    // terminator or nothing, and without a colon `from` is past `end` and every value empty.
    let from = colon + 1;
    if (text.charCodeAt(from) === SPACE) from++;
    if (colon === start) {
      this.onComment?.(text.slice(from, end));
      return;
    }
    if (colon - start === 4 && isData(text, start)) {
      this.appendData(text.slice(from, end));
      return;
    }
    const value = text.slice(from, end);
    switch (text.slice(start, colon)) {
      case 'event':
        this.eventType = value === '' ? undefined : value;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      case 'retry':
        if (this.onRetry && /^\d+$/.test(value)) this.onRetry(Number.parseInt(value, 10));
        break;
    }
  }
}

/**
 * Creates a server-sent-events parser that follows the WHATWG event-stream rules: `\n`,
 * `\r\n` and lone `\r` line ends, `:` comments, `data` with or without the space, multi-line
 * data joined with `\n`, `event`, `id` (ignored when it holds NUL) and `retry` (digits only),
 * a leading BOM, and unknown fields ignored. Unlike a browser it also delivers the last event
 * when the stream ends without a blank line, as g4f's readers did.
 *
 * It decodes the bytes a line at a time (see {@link LineUtf8Decoder}), so a character split
 * across chunks comes out whole and invalid bytes become U+FFFD as `TextDecoder` makes them,
 * and works on the decoded text with `indexOf` and `slice` only. Time is linear in the input
 * whatever its chunking and line shapes.
 */
export function createSseParser(options: SseParserOptions): SseParser {
  return new EventStreamParser(options);
}

/** Parses a byte stream into server-sent events as they complete. */
export async function* parseSseStream(
  body: AsyncIterable<Uint8Array>,
  options: Omit<SseParserOptions, 'onEvent'> = {},
): AsyncGenerator<SseEvent, void, undefined> {
  const queue: SseEvent[] = [];
  const parser = createSseParser({ ...options, onEvent: (event) => queue.push(event) });
  for await (const chunk of body) {
    parser.feed(chunk);
    // Take the batch first: the consumer may stop between yields.
    yield* queue.splice(0);
  }
  parser.end();
  yield* queue.splice(0);
}
