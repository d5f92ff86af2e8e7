import { StreamParseError } from '../errors/stream-parse-error.js';
import { LineSplitter } from './line-splitter.js';

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

/** Default bound on a pending line or event: 16 MiB of text. */
export const DEFAULT_MAX_BUFFER_SIZE = 16 * 1024 * 1024;

/**
 * Creates a server-sent-events parser that follows the WHATWG event-stream rules: `\n`,
 * `\r\n` and lone `\r` line ends, `:` comments, `data` with or without the space, multi-line
 * data joined with `\n`, `event`, `id` (ignored when it holds NUL) and `retry` (digits only),
 * a leading BOM, and unknown fields ignored. Unlike a browser it also delivers the last event
 * when the stream ends without a blank line, as g4f's readers did.
 *
 * It decodes bytes with one streaming `TextDecoder`, so a character split across chunks
 * comes out whole, and works on the decoded text with `indexOf` and `slice` only.
 */
export function createSseParser(options: SseParserOptions): SseParser {
  const maxBufferSize = options.maxBufferSize ?? DEFAULT_MAX_BUFFER_SIZE;
  const { onEvent, onRetry, onComment } = options;
  const decoder = new TextDecoder('utf-8');
  const lines = new LineSplitter({ maxBufferSize });
  let data = '';
  let dataLines = 0;
  let eventType: string | undefined;
  let lastEventId: string | undefined;

  const dispatch = (): void => {
    if (dataLines > 0) {
      const event: SseEvent = { event: eventType, data, id: lastEventId };
      data = '';
      dataLines = 0;
      eventType = undefined;
      onEvent(event);
    } else {
      eventType = undefined;
    }
  };

  const onLine = (line: string): void => {
    if (line.length === 0) {
      dispatch();
      return;
    }
    const colon = line.indexOf(':');
    if (colon === 0) {
      if (onComment) onComment(line.charCodeAt(1) === 32 ? line.slice(2) : line.slice(1));
      return;
    }
    let field: string;
    let value: string;
    if (colon === -1) {
      field = line;
      value = '';
    } else {
      field = line.slice(0, colon);
      value = line.slice(line.charCodeAt(colon + 1) === 32 ? colon + 2 : colon + 1);
    }
    switch (field) {
      case 'data':
        if (dataLines === 0) data = value;
        else data = `${data}\n${value}`;
        dataLines++;
        if (data.length > maxBufferSize) {
          throw new StreamParseError(
            `An event's data exceeded the maximum buffer size of ${maxBufferSize} characters`,
            { kind: 'max-buffer-size-exceeded', line: data },
          );
        }
        break;
      case 'event':
        eventType = value === '' ? undefined : value;
        break;
      case 'id':
        if (!value.includes('\0')) lastEventId = value;
        break;
      case 'retry':
        if (onRetry && /^\d+$/.test(value)) onRetry(Number.parseInt(value, 10));
        break;
      default:
        break;
    }
  };

  return {
    feed(chunk) {
      // TextDecoder drops a leading BOM once per stream, which is exactly the SSE rule.
      lines.push(decoder.decode(chunk, { stream: true }), onLine);
    },
    end() {
      lines.push(decoder.decode(), onLine);
      lines.flush(onLine);
      dispatch();
    },
  };
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
    if (queue.length > 0) yield* drain(queue);
  }
  parser.end();
  yield* drain(queue);
}

function* drain<T>(queue: T[]): Generator<T, void, undefined> {
  // Take the batch first: the consumer may stop between yields.
  const batch = queue.splice(0, queue.length);
  for (const item of batch) yield item;
}
