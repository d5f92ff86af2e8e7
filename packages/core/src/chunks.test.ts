import { describe, expect, it } from 'vitest';
import { type Chunk, collectChunks, FinishReason, ImageResponse, joinText } from './chunks.js';

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
