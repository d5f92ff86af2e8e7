import { describe, expect, it } from 'vitest';
import { splitsACharacter, utf8Pieces } from './pages.js';

describe('utf8Pieces', () => {
  it('cuts bytes evenly, splitting multi-byte characters, and loses nothing', () => {
    const pieces = utf8Pieces('aé👋b', 2);
    expect(pieces.map((p) => p.length)).toEqual([2, 2, 2, 2]);
    expect(Buffer.concat(pieces).toString()).toBe('aé👋b');
    expect(splitsACharacter(pieces)).toBe(true);
    expect(splitsACharacter(utf8Pieces('abcd', 2))).toBe(false);
  });
});
