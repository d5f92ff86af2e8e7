import { LineSplitter, type LineSplitterOptions } from './line-splitter.js';

/**
 * Decodes a byte stream of UTF-8 text into string pieces as they arrive. One streaming
 * decoder carries a character split across chunks over to the next piece; empty pieces are
 * skipped, and a truncated character at the very end becomes U+FFFD instead of an exception.
 */
export async function* decodeTextStream(
  body: AsyncIterable<Uint8Array>,
): AsyncGenerator<string, void, undefined> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of body) {
    const text = decoder.decode(chunk, { stream: true });
    if (text.length > 0) yield text;
  }
  const tail = decoder.decode();
  if (tail.length > 0) yield tail;
}

/** Splits a UTF-8 byte stream into lines (`\n`, `\r\n` or `\r`), the last one flushed at end. */
export async function* readLines(
  body: AsyncIterable<Uint8Array>,
  options: LineSplitterOptions = {},
): AsyncGenerator<string, void, undefined> {
  const splitter = new LineSplitter(options);
  const queue: string[] = [];
  const push = (line: string): void => {
    queue.push(line);
  };
  for await (const text of decodeTextStream(body)) {
    splitter.push(text, push);
    if (queue.length > 0) yield* queue.splice(0, queue.length);
  }
  splitter.flush(push);
  yield* queue.splice(0, queue.length);
}
