import { StringDecoder } from 'node:string_decoder';
import { StreamParseError } from '../errors/stream-parse-error.js';
import { LineSplitter } from './line-splitter.js';
import { stripBom } from './utf8-decoder.js';

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
   * Longest pending line, and longest pending event data, in characters, before a
   * `StreamParseError` of kind `max-buffer-size-exceeded`. Default 16 MiB; a hostile stream
   * cannot make the parser hold more.
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

const COLON = 58;
const SPACE = 32;
const D = 100;
const A = 97;
const T = 116;

/** Default bound on a pending line or event: 16 MiB of text. */
export const DEFAULT_MAX_BUFFER_SIZE = 16 * 1024 * 1024;

class EventStreamParser extends LineSplitter implements SseParser {
  private readonly decoder = new StringDecoder('utf8');
  private started = false;
  private readonly onEvent: (event: SseEvent) => void;
  private readonly onRetry: ((milliseconds: number) => void) | undefined;
  private readonly onComment: ((comment: string) => void) | undefined;
  private readonly maxData: number;
  private data = '';
  private dataLines = 0;
  private eventType: string | undefined = undefined;
  private lastEventId: string | undefined = undefined;

  constructor(options: SseParserOptions) {
    const maxBufferSize = options.maxBufferSize ?? DEFAULT_MAX_BUFFER_SIZE;
    super({ maxBufferSize });
    this.maxData = maxBufferSize;
    this.onEvent = options.onEvent;
    this.onRetry = options.onRetry;
    this.onComment = options.onComment;
  }

  feed(chunk: Uint8Array): void {
    const text = this.decoder.write(chunk as Buffer);
    if (this.started) {
      this.push(text);
    } else if (text.length > 0) {
      // A BOM is dropped once, at the start of the stream: exactly the SSE rule.
      this.started = true;
      this.push(stripBom(text));
    }
  }

  end(): void {
    const text = this.decoder.end();
    this.push(this.started ? text : stripBom(text));
    this.flush();
    this.dispatch();
  }

  private dispatch(): void {
    if (this.dataLines > 0) {
      const event: SseEvent = { event: this.eventType, data: this.data, id: this.lastEventId };
      this.data = '';
      this.dataLines = 0;
      this.eventType = undefined;
      this.onEvent(event);
    } else {
      this.eventType = undefined;
    }
  }

  private appendData(value: string): void {
    this.data = this.dataLines === 0 ? value : `${this.data}\n${value}`;
    this.dataLines++;
    if (this.data.length > this.maxData) {
      throw new StreamParseError(
        `An event's data exceeded the maximum buffer size of ${this.maxData} characters`,
        { kind: 'max-buffer-size-exceeded', line: this.data },
      );
    }
  }

  // Works on the span text[start, end) so the common `data: …` line costs one slice.
  protected onLine(text: string, start: number, end: number): void {
    if (start === end) {
      this.dispatch();
      return;
    }
    const first = text.charCodeAt(start);
    // Hand-checked `data:` prefix: charCodeAt is inlined by the JIT where startsWith is a call.
    if (
      first === D &&
      start + 5 <= end &&
      text.charCodeAt(start + 4) === COLON &&
      text.charCodeAt(start + 1) === A &&
      text.charCodeAt(start + 2) === T &&
      text.charCodeAt(start + 3) === A
    ) {
      const from = start + 5 < end && text.charCodeAt(start + 5) === SPACE ? start + 6 : start + 5;
      this.appendData(text.slice(from, end));
      return;
    }
    if (first === COLON) {
      const from = start + 1 < end && text.charCodeAt(start + 1) === SPACE ? start + 2 : start + 1;
      this.onComment?.(text.slice(from, end));
      return;
    }
    let colon = text.indexOf(':', start);
    if (colon >= end) colon = -1;
    const field = text.slice(start, colon === -1 ? end : colon);
    let value = '';
    if (colon !== -1) {
      value = text.slice(
        colon + 1 < end && text.charCodeAt(colon + 1) === SPACE ? colon + 2 : colon + 1,
        end,
      );
    }
    switch (field) {
      case 'data':
        this.appendData(value);
        break;
      case 'event':
        this.eventType = value === '' ? undefined : value;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastEventId = value;
        break;
      case 'retry':
        if (this.onRetry && /^\d+$/.test(value)) this.onRetry(Number.parseInt(value, 10));
        break;
      default:
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
 * It decodes bytes with one streaming UTF-8 decoder, so a character split across chunks
 * comes out whole, and works on the decoded text with `indexOf` and `slice` only.
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
    if (queue.length > 0) yield* queue.splice(0, queue.length);
  }
  parser.end();
  yield* queue.splice(0, queue.length);
}
