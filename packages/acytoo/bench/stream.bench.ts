// `pnpm bench` in @g4f/acytoo: the provider streaming a 10,000-chunk answer from its replica,
// against a plain undici request reading the same route, alternating in one run.
import { request } from 'undici';
import { Acytoo } from '../src/acytoo.js';
import { createAcytooReplica } from '../src/acytoo-replica.js';

const PIECES = 10_000;
const word = 'token ';
const replica = await createAcytooReplica({
  answer: word.repeat(PIECES),
  chunkBytes: word.length,
  chunkDelayMs: 0,
});
const url = `${replica.url}/api/completions`;
const messages = [{ role: 'user' as const, content: 'Count to ten thousand.' }];
const body = JSON.stringify({
  key: '',
  model: 'gpt-3.5-turbo',
  messages,
  temperature: 0.5,
  password: '',
});
const provider = new Acytoo({ baseUrl: replica.url });

interface Run {
  total: number;
  firstChunk: number;
  length: number;
}

async function raw(): Promise<Run> {
  const started = performance.now();
  let firstChunk = 0;
  let length = 0;
  const answer = await request(url, {
    method: 'POST',
    headers: { accept: '*/*', 'content-type': 'application/json' },
    body,
  });
  for await (const chunk of answer.body) {
    if (length === 0) firstChunk = performance.now() - started;
    length += (chunk as Buffer).length;
  }
  return { total: performance.now() - started, firstChunk, length };
}

async function ours(): Promise<Run> {
  const started = performance.now();
  let firstChunk = 0;
  let length = 0;
  for await (const chunk of provider.createAsyncGenerator({ messages })) {
    if (length === 0) firstChunk = performance.now() - started;
    length += Buffer.byteLength(chunk as string);
  }
  return { total: performance.now() - started, firstChunk, length };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

for (let i = 0; i < 5; i++) {
  await raw();
  await ours();
}
const rounds = 30;
const rawRuns: Run[] = [];
const ourRuns: Run[] = [];
for (let i = 0; i < rounds; i++) {
  rawRuns.push(await raw());
  ourRuns.push(await ours());
}
await replica.close();

if (
  ourRuns.some((r) => r.length !== word.length * PIECES) ||
  rawRuns.some((r) => r.length !== word.length * PIECES)
) {
  throw new Error('a run lost bytes');
}
const rawTotal = median(rawRuns.map((r) => r.total));
const ourTotal = median(ourRuns.map((r) => r.total));
const rawFirst = median(rawRuns.map((r) => r.firstChunk));
const ourFirst = median(ourRuns.map((r) => r.firstChunk));
console.log(
  `Acytoo replica, ${PIECES.toLocaleString('en')}-chunk answer, median of ${rounds} alternating runs`,
);
console.log(
  `  raw undici request   total ${rawTotal.toFixed(2)} ms   first chunk ${rawFirst.toFixed(3)} ms`,
);
console.log(
  `  @g4f/acytoo          total ${ourTotal.toFixed(2)} ms   first chunk ${ourFirst.toFixed(3)} ms`,
);
console.log(
  `  ratio ${(ourTotal / rawTotal).toFixed(3)} (target <= 1.10); first chunk ${(ourFirst - rawFirst).toFixed(3)} ms later than raw (target <= 1 ms)`,
);
