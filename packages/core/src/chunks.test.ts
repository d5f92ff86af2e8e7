import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Chunk,
  collectChunks,
  FinishReason,
  ImageResponse,
  joinText,
  joinToolCalls,
  Reasoning,
  type ToolCallDelta,
  ToolCalls,
  Usage,
} from './chunks.js';
import { splitText } from './replica/pages.js';

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
        const pieces: ToolCallDelta[] = [{ index: 0, id: 'x', function: { name: 'f' } }];
        for (const piece of splitText(args, cuts)) {
          pieces.push({ index: 0, function: { arguments: piece } });
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

describe('ImageResponse', () => {
  it('takes one URL or a copy of a list of them', () => {
    expect(new ImageResponse('http://a/1.png', 'cat').urls).toEqual(['http://a/1.png']);
    const list = ['http://a/1.png', 'http://a/2.png'];
    const image = new ImageResponse(list, 'cat');
    list.push('http://a/3.png');
    expect(image.urls).toEqual(['http://a/1.png', 'http://a/2.png']);
  });

  it('renders one image as a linked Markdown image, alt text on one line', () => {
    expect(String(new ImageResponse('http://a/1.png', '  a\n black   cat '))).toBe(
      '[![a black cat](http://a/1.png)](http://a/1.png)',
    );
  });

  it('renders several images numbered from 1, one per line', () => {
    expect(String(new ImageResponse(['http://a/1.png', 'http://a/2.png'], 'cat'))).toBe(
      '[![#1 cat](http://a/1.png)](http://a/1.png)\n[![#2 cat](http://a/2.png)](http://a/2.png)',
    );
  });
});

describe('collectChunks and joinText', () => {
  async function* answer(): AsyncGenerator<Chunk> {
    yield 'Hel';
    yield new ImageResponse('http://a/1.png', 'x');
    yield 'lo';
    yield new FinishReason('stop');
  }

  it('collect every chunk in order, and join only the text', async () => {
    const chunks = await collectChunks(answer());
    expect(chunks).toHaveLength(4);
    expect(chunks[0]).toBe('Hel');
    expect(chunks[3]).toEqual(new FinishReason('stop'));
    expect(joinText(chunks)).toBe('Hello');
  });

  it('collect nothing from an empty answer', async () => {
    async function* empty(): AsyncGenerator<Chunk> {}
    expect(await collectChunks(empty())).toEqual([]);
    expect(joinText([])).toBe('');
  });
});
