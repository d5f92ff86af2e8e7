import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StreamParseError } from '../errors/stream-parse-error.js';
import { decodeTextStream, QueueingLineSplitter, readLines } from './text.js';

const encoder = new TextEncoder();

async function* from(parts: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield part;
}

async function all<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}

function cut(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const parts: Uint8Array[] = [];
  let start = 0;
  for (const p of points) {
    parts.push(bytes.subarray(start, p));
    start = p;
  }
  parts.push(bytes.subarray(start));
  return parts;
}

const text = fc.string({ unit: fc.constantFrom('a', 'b', ' ', '\n', '\r', 'é', '€', '😀', '中') });

describe('LineSplitter', () => {
  it('splits on LF, CRLF and CR and flushes the tail', () => {
    const splitter = new QueueingLineSplitter();
    splitter.push('a\nb\r\nc\rd');
    splitter.flush();
    expect(splitter.queue).toEqual(['a', 'b', 'c', 'd']);
  });

  it('emits empty lines between consecutive line ends', () => {
    const splitter = new QueueingLineSplitter();
    splitter.push('\n\r\n\r');
    splitter.push('\nx');
    splitter.flush();
    expect(splitter.queue).toEqual(['', '', '', 'x']);
  });

  it('throws a typed error when a line outgrows maxBufferSize', () => {
    const splitter = new QueueingLineSplitter({ maxBufferSize: 8 });
    splitter.push('12345');
    expect(() => splitter.push('6789')).toThrow(StreamParseError);
  });
});

describe('readLines and decodeTextStream', () => {
  it('give the same lines for every split of the bytes', async () => {
    await fc.assert(
      fc.asyncProperty(text, fc.array(fc.nat(), { maxLength: 20 }), async (t, cuts) => {
        const bytes = encoder.encode(t);
        const whole = await all(readLines(from([bytes])));
        expect(await all(readLines(from(cut(bytes, cuts))))).toEqual(whole);
      }),
      { numRuns: 2000 },
    );
  });

  it('decode split multi-byte characters whole, for every split', async () => {
    await fc.assert(
      fc.asyncProperty(text, fc.array(fc.nat(), { maxLength: 20 }), async (t, cuts) => {
        const pieces = await all(decodeTextStream(from(cut(encoder.encode(t), cuts))));
        expect(pieces.join('')).toBe(t);
        expect(pieces.every((p) => p.length > 0)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('turns a character truncated at the very end into U+FFFD instead of failing', async () => {
    const bytes = encoder.encode('ok😀');
    expect((await all(decodeTextStream(from([bytes.subarray(0, 4)])))).join('')).toBe('ok\uFFFD');
  });
});
