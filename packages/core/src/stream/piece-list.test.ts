import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { PIECES_PER_BLOCK, PieceList } from './piece-list.js';

/** A full garbage collection, to see what the list keeps alive. */
function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/** Heap still used after `fill` ran and a full collection, in bytes. */
function heldAfter(fill: () => unknown): { held: number; kept: unknown } {
  const gc = exposeGc();
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept = fill();
  gc();
  return { held: process.memoryUsage().heapUsed - before, kept };
}

describe('PieceList', () => {
  it('joins short and long pieces in their order, with the separator and the suffix', () => {
    const long = (c: string) => c.repeat(600);
    for (const keepLongPieces of [false, true]) {
      const list = new PieceList('|', keepLongPieces);
      const pieces = [
        'a',
        long('b'),
        'c',
        long('d'),
        ...Array.from({ length: 70 }, (_, i) => `${i}`),
      ];
      for (const piece of pieces) list.push(piece);
      expect(list.take('!')).toBe(`${pieces.join('|')}!`);
      list.push(long('e'));
      list.push('f');
      expect(list.take()).toBe(`${long('e')}|f`);
    }
  });

  it('holds a million two-character pieces at a few bytes each, long pieces kept or not', () => {
    const { held, kept } = heldAfter(() => {
      const list = new PieceList('', true);
      // Fresh strings, not V8's shared one-character ones.
      for (let i = 0; i < 1_000_000; i++) list.push(String.fromCharCode(97 + (i % 26), 98));
      return list;
    });
    // 2 MB as flat text; a string header and a slot per piece would take over 20 MB.
    expect(held).toBeLessThan(8 * 1024 * 1024);
    expect((kept as PieceList).take().length).toBe(2_000_000);
  });

  it('does not keep the large texts that long pieces were cut from, by default', () => {
    const { held, kept } = heldAfter(() => {
      const list = new PieceList('\n');
      for (let i = 0; i < 400; i++) {
        // A 600-character view of a fresh 64 Ki text, as a data line cut from a large chunk.
        const text = `${String(i).padStart(4, '0')}${'x'.repeat(65_532)}`;
        list.push(text.slice(0, 600));
      }
      return list;
    });
    // 400 views would keep 26 MB of texts alive; grouped, at most a block's worth is.
    expect(held).toBeLessThan(2 * PIECES_PER_BLOCK * 65_536);
    expect((kept as PieceList).take().length).toBe(400 * 601 - 1);
  });
});
