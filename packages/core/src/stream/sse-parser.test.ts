import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StreamParseError } from '../errors/stream-parse-error.js';
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

const ev = (data: string, event?: string, id?: string): SseEvent => ({ data, event, id });

/** Cuts bytes at the given offsets (sorted, deduplicated). */
function splitAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const parts: Uint8Array[] = [];
  let start = 0;
  for (const point of points) {
    parts.push(bytes.subarray(start, point));
    start = point;
  }
  parts.push(bytes.subarray(start));
  return parts;
}

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
        expect(parse(splitAt(bytes, cuts))).toEqual(whole);
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
