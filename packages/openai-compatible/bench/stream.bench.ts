// `pnpm bench` in @g4f/openai-compatible: a 10,000-event OpenAI-style SSE stream from the
// replica, read through OpenaiCompatible and through the official `openai` SDK's streaming
// client against the same replica, alternating in one run. Prints medians and the ratio.
import { joinText } from '@g4f/core';
import OpenAI from 'openai';
import { OpenaiCompatible } from '../src/openai-compatible.js';
import { CHAT_ROUTE, createOpenaiCompatibleReplica } from '../src/openai-compatible-replica.js';

const EVENTS = 10_000;
const ROUNDS = 15;
const word = 'token ';
const replica = await createOpenaiCompatibleReplica({
  answer: word.repeat(EVENTS),
  chunkChars: word.length,
  chunkDelayMs: 0,
});
// 64 KiB writes, as a busy local server's socket delivers them: the figure is the client's
// parsing cost, not 10,000 write calls of the replica.
replica.fail(CHAT_ROUTE, { kind: 'chunks', sizes: [65_536], delayMs: 0 });
const expected = word.repeat(EVENTS).trimStart();
const messages = [{ role: 'user' as const, content: 'Count to ten thousand.' }];
const ours = new OpenaiCompatible({ baseUrl: replica.baseUrl, defaultModel: 'gpt-4o-mini' });
const sdk = new OpenAI({ baseURL: replica.baseUrl, apiKey: 'replica', maxRetries: 0 });

interface Run {
  ms: number;
  text: string;
}

async function viaOurs(): Promise<Run> {
  const started = performance.now();
  const pieces: string[] = [];
  for await (const chunk of ours.createAsyncGenerator({ messages })) {
    if (typeof chunk === 'string') pieces.push(chunk);
  }
  return { ms: performance.now() - started, text: joinText(pieces) };
}

async function viaSdk(): Promise<Run> {
  const started = performance.now();
  const pieces: string[] = [];
  const stream = await sdk.chat.completions.create({
    model: 'gpt-4o-mini',
    messages,
    stream: true,
    stream_options: { include_usage: true },
  });
  for await (const chunk of stream) {
    const content = chunk.choices[0]?.delta.content;
    if (content) pieces.push(content);
  }
  return { ms: performance.now() - started, text: pieces.join('').trimStart() };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

for (let i = 0; i < 3; i++) {
  await viaOurs();
  await viaSdk();
}
const oursMs: number[] = [];
const sdkMs: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  for (const [run, into] of [
    [viaOurs, oursMs],
    [viaSdk, sdkMs],
  ] as const) {
    const result = await run();
    if (result.text !== expected) throw new Error('a run lost text');
    into.push(result.ms);
  }
}
await replica.close();

const o = median(oursMs);
const s = median(sdkMs);
console.log(
  `OpenAI-compatible replica, ${EVENTS.toLocaleString('en')}-event SSE answer, median of ${ROUNDS} alternating runs`,
);
console.log(`  openai SDK 6.49.0        ${s.toFixed(2)} ms`);
console.log(`  @g4f/openai-compatible  ${o.toFixed(2)} ms`);
console.log(`  ${(s / o).toFixed(2)}x faster than the SDK (target >= 2x)`);
