import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitBytes, splitsACharacter, splitText, utf8Pieces } from './pages.js';

describe('utf8Pieces', () => {
  it('cuts bytes evenly, splitting multi-byte characters, and loses nothing', () => {
    const pieces = utf8Pieces('aé👋b', 2);
    expect(pieces.map((p) => p.length)).toEqual([2, 2, 2, 2]);
    expect(Buffer.concat(pieces).toString()).toBe('aé👋b');
    expect(splitsACharacter(pieces)).toBe(true);
    expect(splitsACharacter(utf8Pieces('abcd', 2))).toBe(false);
  });
});

describe('splitBytes', () => {
  it('cuts at the given offsets and loses nothing, whatever the offsets', () => {
    expect(splitBytes(Uint8Array.of(1, 2, 3, 4), [3, 1, 1]).map((p) => [...p])).toEqual([
      [1],
      [2, 3],
      [4],
    ]);
    fc.assert(
      fc.property(fc.uint8Array(), fc.array(fc.nat()), (bytes, cuts) => {
        const parts = splitBytes(bytes, cuts);
        expect(Buffer.concat(parts)).toEqual(Buffer.from(bytes));
        expect(parts.length).toBeLessThanOrEqual(cuts.length + 1);
      }),
    );
  });
});

describe('splitText', () => {
  it('cuts a string at the same points splitBytes would cut its bytes', () => {
    expect(splitText('abcd', [3, 1, 1, 9])).toEqual(['a', 'bc', 'd', '']);
    fc.assert(
      fc.property(fc.string(), fc.array(fc.nat()), (text, cuts) => {
        const parts = splitText(text, cuts);
        expect(parts.join('')).toBe(text);
        const ascii = text.replace(/[^\x20-\x7e]/g, 'x');
        const bytes = splitBytes(Buffer.from(ascii), cuts).map((p) => Buffer.from(p).toString());
        expect(splitText(ascii, cuts)).toEqual(bytes);
      }),
    );
  });
});
