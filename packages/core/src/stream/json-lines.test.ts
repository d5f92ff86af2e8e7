import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StreamParseError } from '../errors/stream-parse-error.js';
import { splitText } from '../replica/pages.js';
import { gatedBody } from './__fixtures__/gated-body.js';
import { readJsonLines, readSseJson } from './json-lines.js';

const encoder = new TextEncoder();

async function* from(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield encoder.encode(part);
}

async function all<T>(source: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of source) out.push(item);
  return out;
}

describe('readJsonLines', () => {
  it('yields each line as a value or as an error with the line', async () => {
    const results = await all(readJsonLines(from('{"a":1}\n\n  \nnot json\n[1,', '2]\n"s"')));
    expect(results.map((r) => r.success)).toEqual([true, false, true, true]);
    expect(results[0]).toMatchObject({ value: { a: 1 } });
    expect(results[1]).toMatchObject({ line: 'not json' });
    expect(StreamParseError.isInstance(results[1]!.success ? null : results[1]!.error)).toBe(true);
    expect(results[2]).toMatchObject({ value: [1, 2] });
    expect(results[3]).toMatchObject({ value: 's' });
  });

  it('gives the same values for every split', async () => {
    const objects = fc.array(fc.jsonValue(), { maxLength: 10 });
    await fc.assert(
      fc.asyncProperty(objects, fc.array(fc.nat(), { maxLength: 10 }), async (values, cuts) => {
        const text = values.map((v) => `${JSON.stringify(v)}\n`).join('');
        const parts = splitText(text, cuts);
        const got = (await all(readJsonLines(from(...parts)))).map((r) =>
          r.success ? r.value : r.line,
        );
        expect(got).toEqual(values.map((v) => JSON.parse(JSON.stringify(v))));
      }),
      { numRuns: 500 },
    );
  });
});

describe('readSseJson', () => {
  it('parses data payloads with or without the space and stops at [DONE]', async () => {
    const values = await all(
      readSseJson(from('data: {"n":1}\n\ndata:{"n":2}\n\ndata: [DONE]\n\ndata: {"n":3}\n\n')),
    );
    expect(values).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('throws a StreamParseError carrying the offending payload', async () => {
    const error = await all(readSseJson(from('data: {"n":1}\n\ndata: {oops\n\n'))).catch(
      (e: unknown) => e,
    );
    expect(StreamParseError.isInstance(error)).toBe(true);
    expect((error as StreamParseError).line).toBe('{oops');
    expect((error as StreamParseError).kind).toBe('invalid-json');
  });

  it('can be told there is no done marker', async () => {
    const values = await all(readSseJson(from('data: "[DONE]"\n\n'), { doneMarker: null }));
    expect(values).toEqual(['[DONE]']);
  });
});

describe('readSseJson edges', () => {
  it('yields the values before bad JSON, then throws with an excerpt in the message', async () => {
    const bad = `{"n": ${'9'.repeat(300)}`;
    const seen: unknown[] = [];
    const error = await (async () => {
      for await (const value of readSseJson(
        from(`data: 1\n\ndata: 2\n\ndata: ${bad}\n\ndata: 3\n\n`),
      ))
        seen.push(value);
    })().catch((e: unknown) => e);
    expect(seen).toEqual([1, 2]);
    expect(StreamParseError.isInstance(error)).toBe(true);
    expect((error as StreamParseError).message).toBe(
      `Invalid JSON in stream: ${bad.slice(0, 200)}`,
    );
    expect((error as StreamParseError).line).toBe(bad);
  });

  it('throws on bad JSON in the last event, flushed at the end', async () => {
    const error = await all(readSseJson(from('data: 1\n\ndata: {'))).catch((e: unknown) => e);
    expect((error as StreamParseError).kind).toBe('invalid-json');
  });

  it('stops at the done marker mid-chunk and closes the body', async () => {
    let closed = false;
    async function* body() {
      try {
        yield encoder.encode('data: 1\n\ndata: [DONE]\n\ndata: 2\n\n');
        yield encoder.encode('data: 3\n\n');
      } finally {
        closed = true;
      }
    }
    expect(await all(readSseJson(body()))).toEqual([1]);
    expect(closed).toBe(true);
  });

  it('reads no further chunk after the done marker', async () => {
    let pulls = 0;
    async function* body() {
      for (;;) {
        pulls++;
        yield encoder.encode(pulls === 1 ? 'data: 1\n\ndata: [DONE]\n\n' : 'data: 2\n\n');
      }
    }
    expect(await all(readSseJson(body()))).toEqual([1]);
    expect(pulls).toBe(1);
  });

  it('reads no further chunk after bad JSON', async () => {
    let pulls = 0;
    async function* body() {
      for (;;) {
        pulls++;
        yield encoder.encode(pulls === 1 ? 'data: 1\n\ndata: {\n\n' : 'data: 2\n\n');
      }
    }
    const seen: unknown[] = [];
    const error = await (async () => {
      for await (const value of readSseJson(body())) seen.push(value);
    })().catch((e: unknown) => e);
    expect(seen).toEqual([1]);
    expect((error as StreamParseError).kind).toBe('invalid-json');
    expect(pulls).toBe(1);
  });

  it('stops at a done marker that ends the stream without a blank line', async () => {
    expect(await all(readSseJson(from('data: 1\n\ndata: [DONE]')))).toEqual([1]);
    expect(await all(readSseJson(from('data: 1\n\ndata: [DONE]\n\ndata: {')))).toEqual([1]);
  });

  it('takes a custom done marker', async () => {
    expect(
      await all(readSseJson(from('data: 1\n\ndata: END\n\ndata: 2\n\n'), { doneMarker: 'END' })),
    ).toEqual([1]);
  });

  it('hands over a value before the body has finished', async () => {
    const gated = gatedBody('data: 1\n\n');
    const seen: [unknown, boolean][] = [];
    for await (const value of readSseJson(gated.body)) {
      seen.push([value, gated.finished]);
      gated.release();
    }
    expect(seen).toEqual([[1, false]]);
  });

  it('stops reading when the consumer breaks out between values of one chunk', async () => {
    let pulls = 0;
    async function* body() {
      for (;;) {
        pulls++;
        yield encoder.encode('data: 1\n\ndata: 2\n\n');
      }
    }
    for await (const value of readSseJson(body())) if (value === 1) break;
    expect(pulls).toBe(1);
  });
});
