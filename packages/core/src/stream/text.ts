import { LineSplitter, type LineSplitterOptions } from './line-splitter.js';
import { createUtf8Decoder } from './utf8-decoder.js';

/**
 * Decodes a byte stream of UTF-8 text into string pieces as they arrive. One streaming
 * decoder carries a character split across chunks over to the next piece; empty pieces are
 * skipped, and a truncated character at the very end becomes U+FFFD instead of an exception.
 */
export async function* decodeTextStream(
  body: AsyncIterable<Uint8Array>,
): AsyncGenerator<string, void, undefined> {
  const decoder = createUtf8Decoder();
  for await (const chunk of body) {
    const text = decoder.decode(chunk);
    if (text.length > 0) yield text;
  }
  const tail = decoder.end();
  if (tail.length > 0) yield tail;
}

/** Collects completed lines as strings for a generator to hand out. */
export class QueueingLineSplitter extends LineSplitter {
  /** Lines not yet taken, oldest first. */
  readonly queue: string[] = [];
  protected onLine(text: string, start: number, end: number): void {
    this.queue.push(text.slice(start, end));
  }
}

/** Splits a UTF-8 byte stream into lines (`\n`, `\r\n` or `\r`), the last one flushed at end. */
export async function* readLines(
  body: AsyncIterable<Uint8Array>,
  options: LineSplitterOptions = {},
): AsyncGenerator<string, void, undefined> {
  const splitter = new QueueingLineSplitter(options);
  const { queue } = splitter;
  for await (const text of decodeTextStream(body)) {
    splitter.push(text);
    // Take the batch first: the consumer may stop between yields.
    yield* queue.splice(0);
  }
  splitter.flush();
  yield* queue.splice(0);
}
