// `pnpm bench` in core: our SSE parser against a bare TextDecoder pass (the ceiling) and
// eventsource-parser 3 on the same bytes, cut by a seeded generator into random chunks.
// Each case prints "ours / eventsource-parser" (higher is better) next to its target.
import { createParser } from 'eventsource-parser';
import { readSseJson } from '../src/stream/json-lines.js';
import { createSseParser } from '../src/stream/sse-parser.js';

const encoder = new TextEncoder();

/** mulberry32: a small seeded generator, so every run cuts the stream the same way. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function cut(bytes: Uint8Array, min: number, max: number, seed: number): Uint8Array[] {
  const random = seeded(seed);
  const chunks: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length; ) {
    const size = min + Math.floor(random() * (max - min + 1));
    chunks.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  return chunks;
}

interface Result {
  name: string;
  ms: number;
  events: number;
}

/**
 * CPU time of this process in milliseconds. Wall time on a shared machine counts the time other
 * processes hold the cores; CPU time counts only the work done here.
 */
function cpuMs(since: NodeJS.CpuUsage): number {
  const usage = process.cpuUsage(since);
  return (usage.user + usage.system) / 1000;
}

/** Best CPU time of `rounds` after three warm-up runs, the same protocol for every contender. */
function time(name: string, run: () => number, rounds = 10): Result {
  for (let i = 0; i < 3; i++) run();
  let best = Number.POSITIVE_INFINITY;
  let events = 0;
  for (let i = 0; i < rounds; i++) {
    const started = process.cpuUsage();
    events = run();
    best = Math.min(best, cpuMs(started));
  }
  return { name, ms: best, events };
}

function bareDecode(chunks: readonly Uint8Array[]): number {
  const decoder = new TextDecoder();
  let length = 0;
  for (const chunk of chunks) length += decoder.decode(chunk, { stream: true }).length;
  return length > 0 ? 0 : -1;
}

function eventsourceParser(chunks: readonly Uint8Array[]): number {
  const decoder = new TextDecoder();
  let events = 0;
  const parser = createParser({ onEvent: () => void events++ });
  for (const chunk of chunks) parser.feed(decoder.decode(chunk, { stream: true }));
  return events;
}

function ours(chunks: readonly Uint8Array[]): number {
  let events = 0;
  const parser = createSseParser({ onEvent: () => void events++ });
  for (const chunk of chunks) parser.feed(chunk);
  parser.end();
  return events;
}

/** `target` null: a case measured and reported, with no target of its own. */
function report(
  title: string,
  bytes: number,
  results: Result[],
  target: number | null = 1.5,
): void {
  const [bare, reference, mine] = results as [Result, Result, Result];
  console.log(`\n${title}`);
  for (const r of results) {
    const mbs = bytes / 1e6 / (r.ms / 1000);
    const eps =
      r.events > 0 ? `${Math.round(r.events / (r.ms / 1000)).toLocaleString('en')} events/s` : '';
    console.log(
      `  ${r.name.padEnd(22)} ${r.ms.toFixed(1).padStart(8)} ms CPU ${mbs.toFixed(0).padStart(6)} MB/s  ${eps}`,
    );
  }
  console.log(
    `  ours / eventsource-parser: ${(reference.ms / mine.ms).toFixed(2)}x faster (${target === null ? 'no target' : `target >= ${target.toFixed(2)}x`}); ours at ${(
      (bare.ms / mine.ms) * 100
    ).toFixed(0)}% of bare decode`,
  );
}

/** The three contenders on one chunking; both parsers must see every event. */
function compare(
  title: string,
  bytes: number,
  chunks: Uint8Array[],
  expected: number,
  target: number | null = 1.5,
) {
  const results = [
    time('bare TextDecoder', () => bareDecode(chunks)),
    time('eventsource-parser 3', () => eventsourceParser(chunks)),
    time('@g4f/core', () => ours(chunks)),
  ];
  if (results[1]!.events !== expected || results[2]!.events !== expected) {
    throw new Error(`${title}: a parser lost events`);
  }
  report(title, bytes, results, target);
}

const event = 'data: {"choices":[{"delta":{"content":"hello"}}]}\n\n';
const stream = encoder.encode(event.repeat(200_000));
console.log(`stream: ${(stream.length / 1e6).toFixed(1)} MB, 200,000 events`);

for (const [min, max] of [
  [1, 4096],
  [1, 64],
] as const) {
  const chunks = cut(stream, min, max, 42);
  compare(
    `ASCII, ${chunks.length.toLocaleString('en')} chunks of ${min}..${max} bytes`,
    stream.length,
    chunks,
    200_000,
  );
}

// CJK answers: three bytes per character, where the UTF-8 decoder dominates.
const cjkEvent =
  'data: {"choices":[{"delta":{"content":"你好，世界。这是一个流式回答的测试文本"}}]}\n\n';
const cjk = encoder.encode(cjkEvent.repeat(100_000));
// The 1.3x target is for large chunks, where the decoder dominates; smaller chunks are reported.
for (const [min, max, target] of [
  [16_384, 65_536, 1.3],
  [1, 4096, null],
] as const) {
  const chunks = cut(cjk, min, max, 7);
  compare(
    `CJK, ${chunks.length.toLocaleString('en')} chunks of ${min}..${max} bytes`,
    cjk.length,
    chunks,
    100_000,
    target,
  );
}

// A 1 MiB chunk of colon-less `event` lines: linear time, not quadratic.
const colonless = encoder.encode(`${'event\n'.repeat(174_762)}data: end\n\n`);
compare('1 MiB chunk of colon-less lines', colonless.length, [colonless], 1, 1);

// JSON payloads as a provider reads them: an async byte stream in, parsed values out.
async function* source(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield chunk;
}

async function timeAsync(name: string, run: () => Promise<number>, rounds = 10): Promise<Result> {
  for (let i = 0; i < 3; i++) await run();
  let best = Number.POSITIVE_INFINITY;
  let events = 0;
  for (let i = 0; i < rounds; i++) {
    const started = process.cpuUsage();
    events = await run();
    best = Math.min(best, cpuMs(started));
  }
  return { name, ms: best, events };
}

async function bareDecodeAsync(chunks: readonly Uint8Array[]): Promise<number> {
  const decoder = new TextDecoder();
  let length = 0;
  for await (const chunk of source(chunks))
    length += decoder.decode(chunk, { stream: true }).length;
  return length > 0 ? 0 : -1;
}

/** eventsource-parser with `JSON.parse` inline, yielding each value as `readSseJson` does. */
async function* eventsourceJson(chunks: readonly Uint8Array[]): AsyncGenerator<unknown> {
  const decoder = new TextDecoder();
  let values: unknown[] = [];
  const parser = createParser({
    onEvent: (e) => {
      if (e.data !== '[DONE]') values.push(JSON.parse(e.data));
    },
  });
  for await (const chunk of source(chunks)) {
    parser.feed(decoder.decode(chunk, { stream: true }));
    const batch = values;
    values = [];
    for (const value of batch) yield value;
  }
}

async function count(values: AsyncIterable<unknown>): Promise<number> {
  let n = 0;
  for await (const value of values) if (value !== undefined) n++;
  return n;
}

for (const [min, max] of [
  [1, 4096],
  [1, 64],
] as const) {
  const chunks = cut(stream, min, max, 42);
  const results = [
    await timeAsync('bare TextDecoder', () => bareDecodeAsync(chunks)),
    await timeAsync('eventsource-parser 3', () => count(eventsourceJson(chunks))),
    await timeAsync('@g4f/core readSseJson', () => count(readSseJson(source(chunks)))),
  ];
  if (results[1]!.events !== 200_000 || results[2]!.events !== 200_000) {
    throw new Error('JSON: a reader lost values');
  }
  report(
    `JSON values from an async stream, ${chunks.length.toLocaleString('en')} chunks of ${min}..${max} bytes`,
    stream.length,
    results,
    1,
  );
}

// One 1 MiB data line in 1 KiB chunks: linear time, not quadratic.
const big = encoder.encode(`data: ${'x'.repeat(1024 * 1024)}\n\n`);
const bigChunks = cut(big, 1024, 1024, 1);
compare('one 1 MiB event in 1 KiB chunks', big.length, bigChunks, 1, 1);

// The same with CJK text: the long line streams through a streaming decoder, not span by span.
const bigCjk = encoder.encode(`data: ${'中'.repeat(350_000)}\n\n`);
compare('one 1 MiB CJK event in 1 KiB chunks', bigCjk.length, cut(bigCjk, 1024, 1024, 1), 1, null);

// Peak memory against stream length: the parser keeps only the pending line and event.
function heapGrowth(events: number): number {
  const chunk = encoder.encode(event.repeat(1000));
  globalThis.gc?.();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  const parser = createSseParser({ onEvent: () => undefined });
  for (let i = 0; i < events / 1000; i++) {
    parser.feed(chunk);
    if (i % 50 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
  }
  parser.end();
  return (peak - before) / 1e6;
}
console.log('\npeak heap growth while parsing (flat means memory does not grow with the stream):');
for (const events of [200_000, 1_000_000, 5_000_000]) {
  console.log(
    `  ${events.toLocaleString('en').padStart(9)} events: ${heapGrowth(events).toFixed(1)} MB`,
  );
}

// An event that never ends: 16 Mi one-character data lines and no blank line. What the parser
// holds stays near two bytes per character of data, whatever the line count.
function unfinishedEventHeap(): number {
  const chunk = encoder.encode('data:\n'.repeat(65_536));
  globalThis.gc?.();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  const parser = createSseParser({ onEvent: () => undefined });
  for (let i = 0; i < 255; i++) {
    parser.feed(chunk);
    if (i % 16 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
  }
  return (peak - before) / 1e6;
}
console.log(
  `\npeak heap growth holding one unfinished event of 16.7 million empty data lines: ${unfinishedEventHeap().toFixed(0)} MB`,
);
