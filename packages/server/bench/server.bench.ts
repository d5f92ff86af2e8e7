// `pnpm bench`: first-chunk latency through the server vs the same client call in process, at
// 1, 50 and 200 concurrent streams against the Acytoo replica; load comes from a second process
// on loopback, bounded in count and time. Two kinds of answer: six pieces 40 ms apart (streams
// that stay open, as a model's answer does) and six pieces back to back (the most requests per
// second the machine can take). A bare Node proxy runs the same load as a yardstick, every row
// says how much CPU each process spent per request, and each figure is the median of three
// rounds. Then the server process's RSS and heap around three batches of 10,000 requests.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Acytoo } from '@g4f/acytoo';
import { Client } from '@g4f/client';
// The built package, as users run it (`pnpm bench` builds first).
import { startServer } from '../dist/index.js';
import { startBareProxy } from './bare-proxy.js';
import type { LoadPlan } from './load.js';
import { loadFromSecondProcess, median, quantile } from './stats.js';

/** A replica in a process of its own, so the server's process holds only what it adds. */
async function startReplicaProcess(chunkDelayMs: number) {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      fileURLToPath(new URL('./replica-process.ts', import.meta.url)),
      String(chunkDelayMs),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const [line] = (await once(child.stdout, 'data')) as [Buffer];
  return {
    url: line.toString().trim(),
    /** CPU ms the replica process has used so far. */
    cpuMs: async (): Promise<number> => {
      child.stdin.write('\n');
      const [reply] = (await once(child.stdout, 'data')) as [Buffer];
      return Number(reply.toString());
    },
    stop: async () => {
      child.stdin.end();
      await once(child, 'exit');
    },
  };
}

/** The replica in its own process and the server, over a client of that replica, in this one. */
async function startServerOverReplica(chunkDelayMs: number) {
  const replica = await startReplicaProcess(chunkDelayMs);
  const client = new Client({ providers: [new Acytoo({ baseUrl: replica.url })] });
  const server = await startServer({ client, port: 0, maxConcurrentStreams: 1000 });
  return { replica, server };
}

const body = JSON.stringify({ messages: [{ role: 'user', content: 'Say hello.' }], stream: true });
const base = { path: '/v1/chat/completions', body, maxMs: 60_000 };
const ROUNDS = 3;
const ms = (v: number) => `${v.toFixed(2).padStart(7)} ms`;
const signedMs = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(2)}`;
const cell = (v: number) => v.toFixed(3).padStart(6);
const ownCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

console.log(
  `@g4f/server bench (Node ${process.version}, ${(await import('node:os')).availableParallelism()} cores shared by load, proxy and replica; each figure the median of ${ROUNDS} rounds)`,
);
// With answers paced like a model's, the workers start spread over one answer and pause a
// random 0-10 ms between requests: started together, they would stay in step, and every wave
// of 200 requests would reach the server in the same instant, which measures a burst, not 200
// open streams. `open` in the table is the mean of requests in flight while all workers ran.
const scenarios = [
  {
    label: '40 ms apart',
    delayMs: 40,
    pacing: { rampMs: 240, gapMs: 10 },
    runs: [
      [1, 20],
      [50, 600],
      [200, 2400],
    ],
  },
  {
    label: 'back to back',
    delayMs: 0,
    pacing: {},
    runs: [
      [1, 1000],
      [50, 3000],
      [200, 4000],
    ],
  },
] as const;
const paths = ['direct', 'bare proxy', 'g4f server'] as const;
type PathName = (typeof paths)[number];
interface Row {
  rps: number;
  open: number;
  p50: number;
  p99: number;
  errors: number;
  firstError?: string;
  cpu: { load: number; proxy: number; replica: number };
}

for (const scenario of scenarios) {
  const { replica, server } = await startServerOverReplica(scenario.delayMs);
  const bare = await startBareProxy(replica.url);
  console.log(`\nanswer: 6 pieces ${scenario.label}`);
  console.log(
    'streams  path         open   req/s   first-chunk p50      p99  errors   CPU ms/request: load  proxy  replica',
  );
  for (const [concurrency, count] of scenario.runs) {
    const plan = (url: string) => ({ ...base, ...scenario.pacing, url, concurrency, count });
    const plans: Record<PathName, LoadPlan> = {
      direct: { ...plan(replica.url), mode: 'direct' },
      'bare proxy': plan(bare.url),
      'g4f server': plan(server.url),
    };
    const rows = new Map<PathName, Row[]>(paths.map((name) => [name, []]));
    for (const name of paths) {
      await loadFromSecondProcess({ ...plans[name], count: Math.ceil(count / 4) });
    }
    for (let round = 0; round < ROUNDS; round++) {
      // Each round starts with another path, so that none always runs on the warmest machine.
      const order = paths.map((_, i) => paths[(i + round) % paths.length]!);
      for (const name of order) {
        const before = { own: ownCpuMs(), replica: await replica.cpuMs() };
        const r = await loadFromSecondProcess(plans[name]);
        const perRequest = (v: number) => v / Math.max(1, r.done);
        rows.get(name)!.push({
          rps: (r.done / r.elapsedMs) * 1000,
          open: r.meanOpen,
          p50: quantile(r.firstChunkMs, 0.5),
          p99: quantile(r.firstChunkMs, 0.99),
          errors: r.errors,
          firstError: r.firstError,
          cpu: {
            load: perRequest(r.cpuMs),
            proxy: name === 'direct' ? 0 : perRequest(ownCpuMs() - before.own),
            replica: perRequest((await replica.cpuMs()) - before.replica),
          },
        });
      }
    }
    for (const name of paths) {
      const runs = rows.get(name)!;
      const mid = (pick: (row: Row) => number) => median(runs.map(pick));
      const errors = runs.reduce((sum, row) => sum + row.errors, 0);
      const firstError = runs.find((row) => row.firstError)?.firstError;
      console.log(
        `${String(concurrency).padStart(7)}  ${name.padEnd(11)} ${mid((r) => r.open)
          .toFixed(0)
          .padStart(4)}  ${mid((r) => r.rps)
          .toFixed(0)
          .padStart(
            6,
          )}  ${ms(mid((r) => r.p50))}  ${ms(mid((r) => r.p99))}  ${String(errors).padStart(6)}  ${' '.repeat(14)}${cell(mid((r) => r.cpu.load))} ${cell(mid((r) => r.cpu.proxy))}   ${cell(mid((r) => r.cpu.replica))}${firstError ? ` (${firstError})` : ''}`,
      );
    }
    // The added latency of each round (its paths ran one after the other), then the median.
    const added = (name: PathName) =>
      rows.get(name)!.map((row, i) => row.p50 - rows.get('direct')![i]!.p50);
    const show = (name: PathName) =>
      `${ms(median(added(name)))} (rounds ${added(name).map(signedMs).join(', ')})`;
    console.log(
      `         added p50: bare proxy ${show('bare proxy')}, g4f server ${show('g4f server')}`,
    );
  }
  await bare.close();
  await server.close();
  await replica.stop();
}

const { replica, server } = await startServerOverReplica(0);
const gc = (globalThis as { gc?: () => void }).gc;
const mb = (v: number) => `${(v / 1024 / 1024).toFixed(1)} MB`;
const signed = (v: number) => `${v >= 0 ? '+' : '-'}${mb(Math.abs(v))}`;
// Warm-up first, so JIT and connection pools do not count as growth. Then three batches: RSS
// rarely shrinks once the allocator has grown, so "flat" means the later batches add nothing,
// and the heap after a full GC shows whether anything is still held.
await loadFromSecondProcess({ ...base, url: server.url, concurrency: 50, count: 2000 });
gc?.();
const start = process.memoryUsage();
console.log(`\nmemory after warm-up: RSS ${mb(start.rss)}, heap used ${mb(start.heapUsed)}`);
let previous = start;
for (let batch = 1; batch <= 3; batch++) {
  const r = await loadFromSecondProcess({
    ...base,
    url: server.url,
    concurrency: 50,
    count: 10_000,
  });
  gc?.();
  const now = process.memoryUsage();
  console.log(
    `10,000 requests at 50 streams (batch ${batch}): ${r.done} done, ${r.errors} errors; server RSS ${mb(now.rss)} (${signed(now.rss - previous.rss)}), heap used ${mb(now.heapUsed)} (${signed(now.heapUsed - previous.heapUsed)})`,
  );
  previous = now;
}
await server.close();
await replica.stop();
