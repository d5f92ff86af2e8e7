import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitBytes } from '../replica/pages.js';
import { LineUtf8Decoder, MAX_HELD_BYTES } from './line-decoder.js';
import { decodeSpan } from './utf8-decoder.js';

const encoder = new TextEncoder();

/**
 * Feeds `chunks` and records what the sink got after each write, and at the end; `withinLine`
 * holds the pieces handed over as holding no line end.
 */
function decode(chunks: readonly Uint8Array[]): {
  pieces: string[];
  afterWrite: string[];
  withinLine: string[];
} {
  const pieces: string[] = [];
  const afterWrite: string[] = [];
  const withinLine: string[] = [];
  const decoder = new LineUtf8Decoder({
    push: (text) => void pieces.push(text),
    pushWithinLine: (text) => {
      pieces.push(text);
      withinLine.push(text);
    },
  });
  for (const chunk of chunks) {
    decoder.write(chunk);
    afterWrite.push(pieces.join(''));
  }
  decoder.end();
  return { pieces, afterWrite, withinLine };
}

const bytesOf = (...parts: (string | number[])[]): Uint8Array =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? encoder.encode(p) : Uint8Array.from(p))));

// Valid text of every width, line ends of the three kinds, a BOM, invalid bytes (lone
// continuation, truncated leads, bytes never valid, a surrogate, an overlong form) and lines
// long enough to outgrow the held bytes.
const unit = fc.constantFrom<(string | number[])[]>(
  ['a'],
  ['\n'],
  ['\r'],
  ['\r\n'],
  ['é'],
  ['中'],
  ['😀'],
  ['\uFEFF'],
  [[0x80]],
  [[0xe4, 0xb8]],
  [[0xf0, 0x9f, 0x98]],
  [[0xff]],
  [[0xed, 0xa0, 0x80]],
  [[0xc0, 0xaf]],
  ['x'.repeat(700)],
  ['中'.repeat(1500)],
  ['y'.repeat(MAX_HELD_BYTES + 1)],
);
const stream = fc.array(unit, { maxLength: 24 }).map((units) => bytesOf(...units.flat()));

// First in the file, so that it makes the first call to the shared ICU decoder: a decoder that
// did not ignore BOMs would drop this one, as the start of its stream.
describe('decodeSpan, first call', () => {
  it('keeps a BOM at the start of a span', () => {
    const bytes = bytesOf('\uFEFF', '中'.repeat(40), '\n');
    expect(decodeSpan(bytes, 0, bytes.length)).toBe(`\uFEFF${'中'.repeat(40)}\n`);
    expect(decodeSpan(bytes, 0, bytes.length)).toBe(`\uFEFF${'中'.repeat(40)}\n`);
  });
});

describe('LineUtf8Decoder', () => {
  it('gives the text of one TextDecoder pass, for every split', () => {
    fc.assert(
      fc.property(stream, fc.array(fc.nat(), { maxLength: 12 }), (bytes, cuts) => {
        const expected = new TextDecoder().decode(bytes);
        const { pieces, withinLine } = decode(splitBytes(bytes, cuts));
        expect(pieces.join('')).toBe(expected);
        expect(pieces.every((p) => p.length > 0)).toBe(true);
        // The splitter does not search these: a line end among them would be lost.
        expect(withinLine.filter((p) => /[\r\n]/.test(p))).toEqual([]);
      }),
      { numRuns: 600 },
    );
  });

  it('gives the same text byte by byte', () => {
    fc.assert(
      fc.property(
        fc.array(
          unit.filter((u) => u.join('').length < 100),
          { maxLength: 30 },
        ),
        (units) => {
          const bytes = bytesOf(...units.flat());
          const { pieces } = decode(Array.from(bytes, (b) => Uint8Array.of(b)));
          expect(pieces.join('')).toBe(new TextDecoder().decode(bytes));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('hands over text only up to the last line end while a line is short', () => {
    const { afterWrite } = decode([
      bytesOf('data: a'),
      bytesOf('bc\ndata: '),
      bytesOf('中'),
      bytesOf('\r'),
      bytesOf('\ntail'),
    ]);
    expect(afterWrite).toEqual([
      '',
      'data: abc\n',
      'data: abc\n',
      'data: abc\ndata: 中\r',
      'data: abc\ndata: 中\r\n',
    ]);
  });

  it('finds the last line end of either kind, also far from the end of the chunk', () => {
    const far = 'w'.repeat(200);
    expect(decode([bytesOf(`a\rb\n${far}`)]).afterWrite).toEqual(['a\rb\n']);
    expect(decode([bytesOf(`a\nb\r${far}`)]).afterWrite).toEqual(['a\nb\r']);
    expect(decode([bytesOf(far)]).afterWrite).toEqual(['']);
  });

  it('holds up to MAX_HELD_BYTES of a line, after a long chunk too', () => {
    const atLimit = decode([
      bytesOf(`${'x'.repeat(3000)}\n${'y'.repeat(1500)}`),
      bytesOf('y'.repeat(MAX_HELD_BYTES - 1500)),
      bytesOf('y'),
    ]).afterWrite;
    expect(atLimit[0]).toBe(`${'x'.repeat(3000)}\n`);
    expect(atLimit[1]).toBe(atLimit[0]);
    expect(atLimit[2]).toBe(`${atLimit[0]}${'y'.repeat(MAX_HELD_BYTES + 1)}`);
  });

  it('holds again after a held line completed by a line too long to copy', () => {
    const long = 'd'.repeat(9000);
    const { afterWrite } = decode([bytesOf('abc'), bytesOf(`${long}\ntail`)]);
    expect(afterWrite).toEqual(['', `abc${long}\n`]);
  });

  it('completes a held line with a long chunk, and the lines after it', () => {
    const long = `${'中'.repeat(3000)}\n`;
    const { pieces } = decode([bytesOf('data: a'), bytesOf(`b\n${long}${long}c`)]);
    expect(pieces.join('')).toBe(`data: ab\n${long}${long}c`);
  });

  it('streams a line that outgrows the held bytes as it arrives', () => {
    const chunk = bytesOf('z'.repeat(1000));
    const chunks = Array.from({ length: 10 }, () => chunk);
    const { afterWrite } = decode([...chunks, bytesOf('\nnext')]);
    // Held while short; once past the held bytes, each chunk's text is handed over at once.
    expect(afterWrite[0]).toBe('');
    expect(afterWrite[Math.ceil(MAX_HELD_BYTES / 1000)]!.length).toBeGreaterThan(MAX_HELD_BYTES);
    expect(afterWrite[9]).toBe('z'.repeat(10_000));
    expect(afterWrite[10]).toBe(`${'z'.repeat(10_000)}\n`);
  });

  it('returns to holding after the long line ends', () => {
    const { afterWrite } = decode([
      bytesOf('q'.repeat(MAX_HELD_BYTES + 10)),
      bytesOf('\nshort'),
      bytesOf(' line'),
    ]);
    expect(afterWrite[1]).toBe(`${'q'.repeat(MAX_HELD_BYTES + 10)}\n`);
    expect(afterWrite[2]).toBe(afterWrite[1]);
  });

  it('drops a BOM at the start only, also when it arrives a byte at a time', () => {
    const text = (...chunks: (string | number[])[]) =>
      decode(chunks.map((c) => bytesOf(c))).pieces.join('');
    expect(text([0xef], [0xbb], [0xbf], 'a\n')).toBe('a\n');
    expect(text([], '\uFEFFa')).toBe('a');
    expect(text('a\n\uFEFFb')).toBe('a\n\uFEFFb');
    expect(text('\uFEFF\uFEFF')).toBe('\uFEFF');
  });

  it('ends a character truncated at the very end as U+FFFD', () => {
    expect(decode([bytesOf('ok', [0xf0, 0x9f])]).pieces.join('')).toBe('ok\uFFFD');
    expect(decode([bytesOf('ok\n', [0xe4])]).pieces.join('')).toBe('ok\n\uFFFD');
  });
});

describe('decodeSpan', () => {
  const span = fc
    .tuple(fc.array(unit, { maxLength: 12 }), fc.constantFrom(0, 63, 64, 1023, 1024, 5000))
    .map(([units, pad]) => bytesOf(...units.flat(), 'p'.repeat(pad), '\n'));

  it('decodes a span that ends after an ASCII byte as TextDecoder does, on every path', () => {
    fc.assert(
      fc.property(span, fc.nat(), (bytes, offset) => {
        // A span inside a larger buffer, starting after an ASCII byte.
        const padded = bytesOf('#'.repeat(offset % 3), [...bytes], '#');
        const start = offset % 3;
        expect(decodeSpan(padded, start, start + bytes.length)).toBe(
          new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes),
        );
      }),
      { numRuns: 500 },
    );
  });
});
