import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StreamParseError } from '../errors/stream-parse-error.js';
import { splitBytes } from '../replica/pages.js';
import { gatedBody } from './__fixtures__/gated-body.js';
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
        expect(await all(readLines(from(splitBytes(bytes, cuts))))).toEqual(whole);
      }),
      { numRuns: 2000 },
    );
  });

  it('decode split multi-byte characters whole, for every split', async () => {
    await fc.assert(
      fc.asyncProperty(text, fc.array(fc.nat(), { maxLength: 20 }), async (t, cuts) => {
        const pieces = await all(decodeTextStream(from(splitBytes(encoder.encode(t), cuts))));
        expect(pieces.join('')).toBe(t);
        expect(pieces.every((p) => p.length > 0)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('gives nothing for an empty body', async () => {
    expect(await all(decodeTextStream(from([])))).toEqual([]);
    expect(await all(readLines(from([])))).toEqual([]);
  });

  it('turns a character truncated at the very end into U+FFFD instead of failing', async () => {
    const bytes = encoder.encode('ok😀');
    expect((await all(decodeTextStream(from([bytes.subarray(0, 4)])))).join('')).toBe('ok\uFFFD');
  });
});

describe('LineSplitter edges', () => {
  it('keeps CR and LF as one line end across an empty chunk between them', () => {
    const splitter = new QueueingLineSplitter();
    for (const piece of ['a\r', '', '\nb\r', '', '', 'c']) splitter.push(piece);
    splitter.flush();
    expect(splitter.queue).toEqual(['a', 'b', 'c']);
  });

  it('accepts lines of exactly maxBufferSize, held or whole, and refuses one more', () => {
    const ok = new QueueingLineSplitter({ maxBufferSize: 8 });
    ok.push('1234');
    ok.push('5678\n12345678\n1234');
    ok.push('5678');
    ok.flush();
    expect(ok.queue).toEqual(['12345678', '12345678', '12345678']);
    for (const pieces of [['123456789'], ['123456789\n'], ['1234', '56789\n'], ['12345678', '9']]) {
      const splitter = new QueueingLineSplitter({ maxBufferSize: 8 });
      let error: unknown;
      try {
        for (const piece of pieces) splitter.push(piece);
      } catch (e) {
        error = e;
      }
      expect(StreamParseError.isInstance(error)).toBe(true);
      expect((error as StreamParseError).kind).toBe('max-buffer-size-exceeded');
      expect((error as StreamParseError).line).toBe('123456789');
      expect((error as StreamParseError).message).toContain('maximum buffer size of 8');
    }
  });

  it('names only the offending line, not the lines before it in the chunk', () => {
    const splitter = new QueueingLineSplitter({ maxBufferSize: 8 });
    let error: unknown;
    try {
      splitter.push(`ab\n${'x'.repeat(10)}`);
    } catch (e) {
      error = e;
    }
    expect((error as StreamParseError).line).toBe('x'.repeat(10));
  });

  it('joins a line held in hundreds of pieces, at every count around a block', () => {
    for (const count of [1, 2, 63, 64, 65, 127, 128, 129, 500]) {
      const splitter = new QueueingLineSplitter();
      const pieces = Array.from({ length: count }, (_, i) => String.fromCharCode(65 + (i % 26)));
      for (const piece of pieces) splitter.push(piece);
      splitter.push('!\nnext');
      splitter.flush();
      expect(splitter.queue).toEqual([`${pieces.join('')}!`, 'next']);
    }
  });

  it('starts each held line afresh after one of many pieces', () => {
    const splitter = new QueueingLineSplitter();
    for (let i = 0; i < 150; i++) splitter.push('a');
    splitter.push('\n');
    for (let i = 0; i < 70; i++) splitter.push('b');
    splitter.push('\nc');
    splitter.push('d');
    splitter.flush();
    expect(splitter.queue).toEqual(['a'.repeat(150), 'b'.repeat(70), 'cd']);
  });

  it('forgets a held line once it is emitted', () => {
    const splitter = new QueueingLineSplitter();
    splitter.push('ab');
    splitter.push('c\n');
    splitter.push('d\n');
    splitter.flush();
    splitter.flush();
    expect(splitter.queue).toEqual(['abc', 'd']);
  });
});

describe('readLines streaming', () => {
  it('hands over a line before the body has finished', async () => {
    const gated = gatedBody('one\n');
    const seen: [string, boolean][] = [];
    for await (const line of readLines(gated.body)) {
      seen.push([line, gated.finished]);
      gated.release();
    }
    expect(seen).toEqual([['one', false]]);
  });
});

describe('UTF-8 decoding across decoders', () => {
  // Large chunks of mixed ASCII, multi-byte and invalid bytes, so that both native decoders
  // take turns; the text must equal one decode of the whole.
  // U+1000 has 0x80 in the middle of its bytes (E1 80 80).
  const unit = fc.constantFrom(
    'a',
    '\n',
    'é',
    '中',
    '😀',
    '\u1000',
    'x'.repeat(700),
    '中'.repeat(400),
  );
  const bytes = fc
    .tuple(fc.array(unit, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 4 }))
    .map(([units, bad]) => {
      const good = encoder.encode(units.join(''));
      const out = new Uint8Array(good.length + bad.length);
      out.set(good);
      // Invalid bytes (lone continuation, truncated leads) at the end.
      bad.forEach((b, i) => {
        out[good.length + i] = [0x80, 0xc3, 0xe4, 0xf0, 0xbf][b % 5]!;
      });
      return out;
    });

  it('gives the text of one whole decode for every split', async () => {
    await fc.assert(
      fc.asyncProperty(bytes, fc.array(fc.nat(), { maxLength: 6 }), async (b, cuts) => {
        const expected = new TextDecoder().decode(b);
        const pieces = await all(decodeTextStream(from(splitBytes(b, cuts))));
        expect(pieces.join('')).toBe(expected);
      }),
      { numRuns: 400 },
    );
  });

  it('keeps a BOM in mid-stream when the second decoder first sees it', async () => {
    const big = encoder.encode(`\uFEFF${'中'.repeat(500)}`);
    const pieces = await all(decodeTextStream(from([encoder.encode('a'), big])));
    expect(pieces.join('')).toBe(`a\uFEFF${'中'.repeat(500)}`);
  });

  it('does not switch decoders after a chunk that ends in 0x80 mid-character', async () => {
    // 1,500 bytes of CJK, then U+1000 (E1 80 80) cut after its first 0x80.
    const head = encoder.encode(`${'中'.repeat(500)}\u1000`);
    const parts = [head.subarray(0, head.length - 1), new Uint8Array([0x80, 0x61])];
    expect((await all(decodeTextStream(from(parts)))).join('')).toBe(`${'中'.repeat(500)}\u1000a`);
  });

  it('drops a BOM only at the start, even when split or after an empty chunk', async () => {
    const bom = [0xef, 0xbb, 0xbf];
    const text = async (...parts: number[][]) =>
      (await all(decodeTextStream(from(parts.map((p) => new Uint8Array(p)))))).join('');
    expect(await text([...bom, 0x61])).toBe('a');
    expect(await text([0xef], [0xbb], [0xbf, 0x61])).toBe('a');
    expect(await text([], [...bom, 0x61])).toBe('a');
    expect(await text([0x61, ...bom])).toBe('a\uFEFF');
    expect(await text([0x61], [...bom])).toBe('a\uFEFF');
    expect(await text([...bom, ...bom])).toBe('\uFEFF');
  });
});
