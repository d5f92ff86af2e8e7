import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FinishReason,
  joinText,
  joinToolCalls,
  Reasoning,
  type ToolCallDelta,
  ToolCalls,
  Usage,
} from './chunks.js';

describe('joinToolCalls', () => {
  it('merges streamed pieces by index: first id and name win, arguments concatenate', () => {
    const pieces: ToolCallDelta[] = [
      { index: 0, id: 'call_a', type: 'function', function: { name: 'weather', arguments: '' } },
      { index: 1, id: 'call_b', type: 'function', function: { name: 'time', arguments: '{"tz"' } },
      { index: 0, function: { arguments: '{"city":' } },
      { index: 0, function: { arguments: '"Paris"}' } },
      { index: 1, function: { arguments: ':"UTC"}' } },
    ];
    expect(joinToolCalls(pieces)).toEqual([
      {
        id: 'call_a',
        type: 'function',
        function: { name: 'weather', arguments: '{"city":"Paris"}' },
      },
      { id: 'call_b', type: 'function', function: { name: 'time', arguments: '{"tz":"UTC"}' } },
    ]);
  });

  it('names a call that never got an id after its index', () => {
    expect(joinToolCalls([{ index: 3, function: { name: 'f' } }])).toEqual([
      { id: 'call_3', type: 'function', function: { name: 'f', arguments: '' } },
    ]);
  });

  it('gives the same calls however the arguments were cut into pieces', () => {
    fc.assert(
      fc.property(fc.string(), fc.array(fc.nat(), { maxLength: 8 }), (args, cuts) => {
        const offsets = [...new Set(cuts.map((c) => c % (args.length + 1)))].sort((a, b) => a - b);
        const bounds = [0, ...offsets, args.length];
        const pieces: ToolCallDelta[] = [{ index: 0, id: 'x', function: { name: 'f' } }];
        for (let i = 0; i + 1 < bounds.length; i++) {
          pieces.push({ index: 0, function: { arguments: args.slice(bounds[i], bounds[i + 1]) } });
        }
        expect(joinToolCalls(pieces)[0]?.function.arguments).toBe(args);
      }),
    );
  });
});

describe('typed chunks', () => {
  it('stay out of the joined answer text', () => {
    expect(
      joinText([
        new Reasoning('thinking'),
        'Hello',
        new ToolCalls([{ index: 0 }]),
        new Usage(1, 2),
        ' world',
        new FinishReason('stop'),
      ]),
    ).toBe('Hello world');
  });

  it('usage totals the counts unless told the total', () => {
    expect(new Usage(3, 4).totalTokens).toBe(7);
    expect(new Usage(3, 4, 9).totalTokens).toBe(9);
  });
});
