import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createParser } from 'eventsource-parser';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StreamParseError } from '../errors/stream-parse-error.js';
import { splitBytes, splitText } from '../replica/pages.js';
import { gatedBody } from './__fixtures__/gated-body.js';
import { createSseParser, parseSseStream, type SseEvent } from './sse-parser.js';

const encoder = new TextEncoder();

interface Parsed {
  events: SseEvent[];
  retries: number[];
  comments: string[];
}

function parse(chunks: readonly (string | Uint8Array)[], maxBufferSize?: number): Parsed {
  const out: Parsed = { events: [], retries: [], comments: [] };
  const parser = createSseParser({
    onEvent: (e) => out.events.push(e),
    onRetry: (ms) => out.retries.push(ms),
    onComment: (c) => out.comments.push(c),
    maxBufferSize,
  });
  for (const chunk of chunks)
    parser.feed(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
  parser.end();
  return out;
}

/** A full garbage collection, for the tests that measure what the parser keeps alive. */
function exposeGc(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

const ev = (data: string, event?: string, id?: string): SseEvent => ({ data, event, id });

describe('SSE parser: WHATWG rules', () => {
  it('parses data events separated by blank lines', () => {
    expect(parse(['data: one\n\ndata: two\n\n']).events).toEqual([ev('one'), ev('two')]);
  });

  it('accepts LF, CRLF and lone CR line ends, mixed', () => {
    expect(parse(['data: a\r\n\r\ndata: b\r\rdata: c\n\n']).events).toEqual([
      ev('a'),
      ev('b'),
      ev('c'),
    ]);
  });

  it('keeps a CR at the end of one chunk and the LF at the start of the next as one line end', () => {
    expect(parse(['data: a\r', '\ndata: b\r', '\n\r\n']).events).toEqual([ev('a\nb')]);
  });

  it('keeps a LF after a long line that followed a chunk-final CR', () => {
    // The CR ends `data: a`; the long line streams through the decoder; its LF is a line end.
    const long = 'x'.repeat(5000);
    expect(parse(['data: a\r', long, '\ndata: b\n\n']).events).toEqual([ev('a\nb')]);
    expect(parse(['data: a\r', `data: ${long}`, '\n\n']).events).toEqual([ev(`a\n${long}`)]);
  });

  it('treats two CRs split across chunks as two line ends', () => {
    expect(parse(['data: a\r', '\r', 'data: b\n\n']).events).toEqual([ev('a'), ev('b')]);
  });

  it('strips exactly one space after the colon, and accepts none', () => {
    expect(parse(['data:x\n\ndata:  two spaces\n\n']).events).toEqual([ev('x'), ev(' two spaces')]);
  });

  it('joins multi-line data with LF and keeps empty data lines', () => {
    expect(parse(['data: a\ndata:\ndata: b\n\n']).events).toEqual([ev('a\n\nb')]);
  });

  it('dispatches an event whose only data line is empty', () => {
    expect(parse(['data\n\ndata:\n\n']).events).toEqual([ev(''), ev('')]);
  });

  it('does not dispatch events with no data, and forgets their type', () => {
    expect(parse(['event: ping\n\ndata: x\n\n']).events).toEqual([ev('x')]);
  });

  it('reads event types, empty type meaning unnamed', () => {
    expect(parse(['event: add\ndata: 1\n\nevent:\ndata: 2\n\n']).events).toEqual([
      ev('1', 'add'),
      ev('2'),
    ]);
  });

  it('keeps the last event id across events and ignores ids with NUL', () => {
    const { events } = parse(['id: 7\ndata: a\n\ndata: b\n\nid: x\0y\ndata: c\n\nid\ndata: d\n\n']);
    expect(events).toEqual([
      ev('a', undefined, '7'),
      ev('b', undefined, '7'),
      ev('c', undefined, '7'),
      ev('d', undefined, ''),
    ]);
  });

  it('reports retry only when it is all digits', () => {
    expect(
      parse(['retry: 1500\n\nretry: 1.5\n\nretry: abc\n\nretry:\n\nretry: 20\n\n']).retries,
    ).toEqual([1500, 20]);
  });

  it('skips comments, reporting their text', () => {
    const out = parse([': heartbeat\n:\n:no space\ndata: x\n\n']);
    expect(out.events).toEqual([ev('x')]);
    expect(out.comments).toEqual(['heartbeat', '', 'no space']);
  });

  it('ignores unknown fields and lines without a colon other than data', () => {
    expect(parse(['foo: bar\nbaz\ndata: ok\n\n']).events).toEqual([ev('ok')]);
  });

  it('treats field names case-sensitively', () => {
    expect(parse(['Data: no\ndata: yes\n\n']).events).toEqual([ev('yes')]);
  });

  it('strips a leading BOM, only at the start of the stream', () => {
    expect(parse(['\uFEFFdata: a\n\n']).events).toEqual([ev('a')]);
    expect(
      parse([new Uint8Array([0xef]), new Uint8Array([0xbb, 0xbf]), 'data: a\n\n']).events,
    ).toEqual([ev('a')]);
    expect(parse(['data: a\n\n\uFEFFdata: b\n\n']).events).toEqual([ev('a')]);
  });

  it('flushes the last event when the stream ends without a blank line', () => {
    expect(parse(['data: a\n\ndata: last']).events).toEqual([ev('a'), ev('last')]);
    expect(parse(['data: a\ndata: b\n']).events).toEqual([ev('a\nb')]);
  });

  it('reassembles a line split over many chunks', () => {
    expect(parse(['da', 'ta', ': hel', 'lo wor', 'ld', '\n', '\n']).events).toEqual([
      ev('hello world'),
    ]);
  });

  it('keeps a multi-byte character split between chunks', () => {
    const bytes = encoder.encode('data: héllo 👋 мир\n\n');
    const parts = Array.from(bytes, (b) => new Uint8Array([b]));
    expect(parse(parts).events).toEqual([ev('héllo 👋 мир')]);
  });

  it('keeps NUL and odd characters in data', () => {
    expect(parse(['data: a\0b\tc\n\n']).events).toEqual([ev('a\0b\tc')]);
  });

  it('parses a 10 MB event in one chunk', () => {
    const big = 'x'.repeat(10 * 1024 * 1024);
    expect(parse([`data: ${big}\n\n`]).events[0]!.data.length).toBe(big.length);
  });
});

describe('SSE parser: maxBufferSize', () => {
  it('ends a pending line that grows past the limit with a typed error', () => {
    const error = (() => {
      try {
        parse(['data: ', 'x'.repeat(50), 'x'.repeat(60)], 100);
      } catch (e) {
        return e;
      }
    })();
    expect(StreamParseError.isInstance(error)).toBe(true);
    expect((error as StreamParseError).kind).toBe('max-buffer-size-exceeded');
  });

  it('ends an event whose data lines add up past the limit', () => {
    const lines = Array.from({ length: 20 }, () => `data: ${'y'.repeat(10)}\n`).join('');
    expect(() => parse([lines], 100)).toThrow(StreamParseError);
  });

  it('accepts data right at the limit', () => {
    expect(parse([`data: ${'z'.repeat(94)}\n\n`], 100).events[0]!.data.length).toBe(94);
  });
});

describe('SSE parser: any split gives the same events', () => {
  const field = fc.constantFrom('data', 'event', 'id', 'retry', 'foo', '');
  const value = fc.string({ unit: fc.constantFrom('a', 'é', '👋', ' ', ':', '\0', 'м', '1') });
  const eol = fc.constantFrom('\n', '\r', '\r\n');
  const line = fc
    .tuple(field, fc.boolean(), value, eol)
    .map(([f, colon, v, e]) => `${f}${colon ? ':' : ''}${v}${e}`);
  const stream = fc
    .tuple(fc.boolean(), fc.array(fc.oneof(line, eol), { maxLength: 40 }))
    .map(([bom, parts]) => `${bom ? '\uFEFF' : ''}${parts.join('')}`);

  it('for random streams and random cut points', () => {
    fc.assert(
      fc.property(stream, fc.array(fc.nat(), { maxLength: 30 }), (text, cuts) => {
        const bytes = encoder.encode(text);
        const whole = parse([bytes]);
        expect(parse(splitBytes(bytes, cuts))).toEqual(whole);
      }),
      { numRuns: 3000 },
    );
  });

  it('byte by byte', () => {
    fc.assert(
      fc.property(stream, (text) => {
        const bytes = encoder.encode(text);
        expect(parse(Array.from(bytes, (b) => new Uint8Array([b])))).toEqual(parse([bytes]));
      }),
      { numRuns: 500 },
    );
  });
});

describe('SSE parser: the same events as eventsource-parser', () => {
  // `\n` line ends only, the shape the parser cuts by itself (see its `push`): events of one
  // data line, of several, typed, with ids and comments, and lines that only look like data.
  const name = fc.constantFrom('data', 'data', 'event', 'id', 'retry', 'dat', 'datax', '');
  const value = fc.string({ unit: fc.constantFrom('a', 'é', '中', ' ', ':', '1') });
  const line = fc
    .tuple(name, fc.constantFrom('', ':', ': '), value)
    .map(([n, colon, v]) => `${n}${colon}${colon === '' ? '' : v}\n`);
  const stream = fc
    .array(fc.oneof(line, line, fc.constant('\n')), { maxLength: 40 })
    .map((lines) => `${lines.join('')}\n`);

  /** The other parser's events, as `{ event, data }`: it forgets the id after each event. */
  function reference(text: string): { event: string | undefined; data: string }[] {
    const events: { event: string | undefined; data: string }[] = [];
    const parser = createParser({ onEvent: (e) => events.push({ event: e.event, data: e.data }) });
    parser.feed(text);
    return events;
  }

  it('for random streams with LF line ends, whole and cut anywhere', () => {
    fc.assert(
      fc.property(stream, fc.array(fc.nat(), { maxLength: 12 }), (text, cuts) => {
        const expected = reference(text);
        const bytes = encoder.encode(text);
        for (const chunks of [[bytes], splitBytes(bytes, cuts)]) {
          const events = parse(chunks).events.map((e) => ({ event: e.event, data: e.data }));
          expect(events).toEqual(expected);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps the id of an event of one data line, and of the events after it', () => {
    expect(parse(['id: 7\ndata: a\n\ndata: b\n\nid\ndata: c\n\n']).events).toEqual([
      ev('a', undefined, '7'),
      ev('b', undefined, '7'),
      ev('c', undefined, ''),
    ]);
  });
});

describe('SSE parser: long lines and invalid bytes, any split', () => {
  // Values long enough that a line outgrows what the decoder holds undecoded, and bytes that
  // are not UTF-8, which must come out as TextDecoder turns them out whatever the chunking.
  const piece = fc.constantFrom<string | number[]>(
    'a',
    '中',
    'x'.repeat(3000),
    '中'.repeat(2000),
    [0x80],
    [0xe4, 0xb8],
    [0xff],
  );
  const line = fc
    .tuple(fc.constantFrom('data:', ': ', 'event:', 'id:'), fc.array(piece, { maxLength: 4 }))
    .map(([field, pieces]) => [field, ...pieces, '\n']);
  const stream = fc
    .array(fc.oneof(line, fc.constant(['\n'])), { maxLength: 12 })
    .map((lines) =>
      Buffer.concat(
        lines.flat().map((p) => (typeof p === 'string' ? encoder.encode(p) : Uint8Array.from(p))),
      ),
    );

  it('gives the events of one whole chunk, with text as TextDecoder decodes it', () => {
    fc.assert(
      fc.property(stream, fc.array(fc.nat(), { maxLength: 20 }), (bytes, cuts) => {
        const whole = parse([bytes]);
        expect(parse(splitBytes(bytes, cuts))).toEqual(whole);
        const text = new TextDecoder().decode(bytes);
        for (const event of whole.events) expect(text).toContain(event.data.split('\n')[0]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseSseStream', () => {
  it('yields events from an async byte stream, the last one flushed', async () => {
    async function* body() {
      yield encoder.encode('data: 1\n\nda');
      yield encoder.encode('ta: 2\n\ndata: 3');
    }
    const seen: string[] = [];
    for await (const event of parseSseStream(body())) seen.push(event.data);
    expect(seen).toEqual(['1', '2', '3']);
  });
});

describe('SSE parser: field names', () => {
  it('reads event, id and retry without the space after the colon', () => {
    const out = parse(['event:add\nid:7\nretry:15\ndata:x\n\n']);
    expect(out.events).toEqual([ev('x', 'add', '7')]);
    expect(out.retries).toEqual([15]);
  });

  it('takes only the exact name `data` as data', () => {
    const lookalikes = [
      'dataset: 1',
      'dxta: 2',
      'xata: 3',
      'daxa: 4',
      'datx: 5',
      'dat: 6',
      'datax',
    ];
    expect(parse([`${lookalikes.join('\n')}\n\n`]).events).toEqual([]);
    expect(parse([`${lookalikes.join('\n')}\ndata: 7\n\n`]).events).toEqual([ev('7')]);
  });

  it('reads a field split from its value by the chunking', () => {
    expect(parse(['eve', 'nt:', ' a', 'dd\nda', 'ta', ':', ' x\n', '\n']).events).toEqual([
      ev('x', 'add'),
    ]);
  });
});

describe('SSE parser: hostile shapes', () => {
  it('parses a 1 MiB chunk of colon-less lines', () => {
    const text = `${'event\n'.repeat(100_000)}${'foo\r\n'.repeat(100_000)}data: end\n\n`;
    expect(parse([text]).events).toEqual([ev('end')]);
  });

  it('joins an event of thousands of data lines in order', () => {
    const values = Array.from({ length: 1000 }, (_, i) => String(i));
    const text = values.map((v) => `data: ${v}\n`).join('');
    expect(parse([`${text}\n`]).events).toEqual([ev(values.join('\n'))]);
    // Every count around the grouping of held lines.
    for (const count of [63, 64, 65, 128, 129]) {
      const lines = values.slice(0, count);
      const got = parse([`${lines.map((v) => `data:${v}\n`).join('')}\n`]).events;
      expect(got).toEqual([ev(lines.join('\n'))]);
    }
  });

  it('starts each event afresh after one of many data lines', () => {
    const many = (tag: string) =>
      Array.from({ length: 150 }, (_, i) => `data: ${tag}${i}\n`).join('');
    const expected = (tag: string) =>
      Array.from({ length: 150 }, (_, i) => `${tag}${i}`).join('\n');
    expect(parse([`${many('a')}\n${many('b')}\ndata: c\n\n`]).events).toEqual([
      ev(expected('a')),
      ev(expected('b')),
      ev('c'),
    ]);
  });

  it('keeps a line fed one character at a time, across many held pieces', () => {
    const value = Array.from({ length: 300 }, (_, i) => String.fromCharCode(97 + (i % 26))).join(
      '',
    );
    const chunks = Array.from(`data: ${value}\n\n`, (c) => c);
    expect(parse(chunks).events).toEqual([ev(value)]);
  });

  it('holds an unfinished event of half a million short lines in little memory', () => {
    const gc = exposeGc();
    const chunk = encoder.encode('data:ab\n'.repeat(65_536));
    let events = 0;
    const parser = createSseParser({ onEvent: () => void events++ });
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 8; i++) parser.feed(chunk);
    gc();
    const held = process.memoryUsage().heapUsed - before;
    // Half a million 2-character lines: about 1.5 MB as flat text, where a rope node or even
    // just a string header per line takes 14 MB or more.
    expect(held).toBeLessThan(8 * 1024 * 1024);
    parser.feed(encoder.encode('\n'));
    expect(events).toBe(1);
  });
});

describe('SSE parser: maxBufferSize while feeding', () => {
  const errorOf = (run: () => unknown): unknown => {
    try {
      run();
    } catch (e) {
      return e;
    }
    return undefined;
  };

  it('refuses a comment line past the limit, held or whole', () => {
    for (const chunks of [
      [`: ${'x'.repeat(200)}`],
      [`: ${'x'.repeat(200)}\n`],
      [':', 'x'.repeat(200)],
    ]) {
      const error = errorOf(() => parse(chunks, 100));
      expect(StreamParseError.isInstance(error)).toBe(true);
      expect((error as StreamParseError).kind).toBe('max-buffer-size-exceeded');
      expect((error as StreamParseError).message).toContain('line exceeded');
    }
  });

  it('accepts a line of exactly the limit and refuses one more character', () => {
    const line = `: ${'c'.repeat(98)}`;
    expect(parse([line.slice(0, 50), line.slice(50), '\n'], 100).comments).toHaveLength(1);
    expect(parse([`${line}\n`], 100).comments).toHaveLength(1);
    expect(() => parse([line.slice(0, 50), `${line.slice(50)}c`, '\n'], 100)).toThrow(
      StreamParseError,
    );
    expect(() => parse([`${line}c\n`], 100)).toThrow(StreamParseError);
  });

  it('hands over the events before a line past the limit once, then refuses the line', () => {
    const events: SseEvent[] = [];
    const parser = createSseParser({ onEvent: (e) => events.push(e), maxBufferSize: 20 });
    const error = errorOf(() => parser.feed(encoder.encode(`data: a\n\n: ${'x'.repeat(30)}\n`)));
    expect((error as StreamParseError).kind).toBe('max-buffer-size-exceeded');
    expect(events).toEqual([ev('a')]);
  });

  it('measures a line that streams through the decoder (over 4 KiB) against the limit too', () => {
    const limit = 6000;
    // `data: ` plus the value: exactly the limit, then one character more; fed 1,000 at a time.
    const atLimit = `data: ${'v'.repeat(limit - 6)}`;
    const cuts = Array.from({ length: 6 }, (_, i) => (i + 1) * 1000);
    expect(parse([...splitText(atLimit, cuts), '\n\n'], limit).events).toEqual([
      ev('v'.repeat(limit - 6)),
    ]);
    // Refused by the chunk that goes past the limit, before any line end arrives.
    const parser = createSseParser({ onEvent: () => undefined, maxBufferSize: limit });
    const chunks = splitText(`${atLimit}v`, cuts);
    for (const chunk of chunks.slice(0, -1)) parser.feed(encoder.encode(chunk));
    const error = errorOf(() => parser.feed(encoder.encode(chunks.at(-1)!)));
    expect((error as StreamParseError).kind).toBe('max-buffer-size-exceeded');
  });

  it('accepts data lines adding up to exactly the limit', () => {
    const lines = `data: ${'a'.repeat(49)}\ndata: ${'b'.repeat(50)}\n\n`;
    expect(parse([lines], 100).events[0]!.data.length).toBe(100);
    const over = `data: ${'a'.repeat(50)}\ndata: ${'b'.repeat(50)}\n\n`;
    const error = errorOf(() => parse([over], 100));
    expect((error as StreamParseError).kind).toBe('max-buffer-size-exceeded');
    expect((error as StreamParseError).message).toContain("event's data");
    expect((error as StreamParseError).line).toBe(`${'a'.repeat(50)}\n${'b'.repeat(50)}`);
  });

  it('uses 16 Mi code units by default', () => {
    const error = errorOf(() => parse([`: ${'x'.repeat(16 * 1024 * 1024)}`]));
    expect((error as StreamParseError).kind).toBe('max-buffer-size-exceeded');
    expect(parse([`: ${'x'.repeat(16 * 1024 * 1024 - 2)}\n`]).comments).toHaveLength(1);
  });

  it('keeps only a detached 1,000-character excerpt of the offending text', () => {
    const gc = exposeGc();
    gc();
    const before = process.memoryUsage().heapUsed;
    const error = errorOf(() => parse([`: ${'y'.repeat(20 * 1024 * 1024)}`], 100));
    gc();
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(8 * 1024 * 1024);
    expect((error as StreamParseError).line).toBe(`: ${'y'.repeat(998)}`);
  });
});

describe('parseSseStream: timing of delivery', () => {
  it('hands over an event before the body has finished', async () => {
    const gated = gatedBody('data: 1\n\n', 'data: 2\n\n');
    const seen: [string, boolean][] = [];
    for await (const event of parseSseStream(gated.body)) {
      seen.push([event.data, gated.finished]);
      gated.release();
    }
    // Each event arrives while the body is still suspended at the yield of its chunk.
    expect(seen).toEqual([
      ['1', false],
      ['2', false],
    ]);
    expect(gated.finished).toBe(true);
  });

  it('skips comments when no comment handler is given', async () => {
    async function* body() {
      yield encoder.encode(': ping\n\ndata: x\n\n:\n');
    }
    const seen: SseEvent[] = [];
    for await (const event of parseSseStream(body())) seen.push(event);
    expect(seen).toEqual([ev('x')]);
  });

  it('passes maxBufferSize on', async () => {
    async function* body() {
      yield encoder.encode(`data: ${'x'.repeat(50)}\n\n`);
    }
    const error = await (async () => {
      for await (const _ of parseSseStream(body(), { maxBufferSize: 10 })) {
        // drained
      }
    })().catch((e: unknown) => e);
    expect(StreamParseError.isInstance(error)).toBe(true);
  });
});
