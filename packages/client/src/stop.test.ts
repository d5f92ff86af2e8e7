import { splitText } from '@g4f/core/replica';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StopCutter, stopIndex } from './stop.js';

/** Feeds `pieces` through a cutter as a stream would. */
function streamCut(pieces: readonly string[], stops: readonly string[]) {
  const cutter = new StopCutter(stops);
  let out = '';
  for (const piece of pieces) {
    const { text, stopped } = cutter.push(piece);
    out += text;
    if (stopped) return { out, stopped: true };
  }
  const rest = cutter.flush();
  return { out: out + rest.text, stopped: rest.stopped };
}

describe('StopCutter', () => {
  it('cuts before a stop string split across chunks', () => {
    expect(streamCut(['Hello wo', 'rld, END', 'ING'], ['END'])).toEqual({
      out: 'Hello world, ',
      stopped: true,
    });
    expect(streamCut(['ab', 'c'], ['abc'])).toEqual({ out: '', stopped: true });
  });

  it('gives back held text when the answer ends without the stop string', () => {
    expect(streamCut(['Hello E', 'N'], ['END'])).toEqual({ out: 'Hello EN', stopped: false });
  });

  it('prefers a longer stop string that starts earlier over a shorter one found first', () => {
    expect(streamCut(['ab', 'c'], ['abc', 'b'])).toEqual({ out: '', stopped: true });
    expect(streamCut(['ab', 'x'], ['abc', 'b'])).toEqual({ out: 'a', stopped: true });
  });

  it('still cuts at the end when a longer candidate never completed', () => {
    expect(streamCut(['ac'], ['c', 'aca'])).toEqual({ out: 'a', stopped: true });
  });

  it('ignores empty stop strings', () => {
    expect(streamCut(['abc'], [''])).toEqual({ out: 'abc', stopped: false });
  });

  it('gives the same text as cutting the whole answer, for any chunking', () => {
    const alphabet = fc.constantFrom('a', 'b', 'c', 'é', '👋');
    const text = fc.array(alphabet, { maxLength: 40 }).map((a) => a.join(''));
    const stop = fc.array(alphabet, { minLength: 1, maxLength: 4 }).map((a) => a.join(''));
    fc.assert(
      fc.property(
        text,
        fc.array(stop, { minLength: 1, maxLength: 3 }),
        fc.array(fc.nat(), { maxLength: 12 }),
        (whole, stops, cuts) => {
          const at = stopIndex(whole, stops);
          const expected =
            at === -1 ? { out: whole, stopped: false } : { out: whole.slice(0, at), stopped: true };
          expect(streamCut(splitText(whole, cuts), stops)).toEqual(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
