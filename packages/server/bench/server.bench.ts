// `pnpm bench`: first-chunk latency through the server vs the same client call in process, at
// 1, 50 and 200 concurrent streams against the Acytoo replica; load comes from a second process
// on loopback, bounded in count and time. Two kinds of answer: pieces back to back (the most
// requests per second the machine can take) and pieces 40 ms apart (streams that stay open, as
// a model's answer does). A bare Node proxy runs the same load as a yardstick, and every row
// says how much CPU each process spent per request. Then the server process's RSS and heap
// around three batches of 10,000 requests.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Acytoo } from '@g4f/acytoo';
import { Client } from '@g4f/client';
import { startServer } from '../src/index.js';
import { startBareProxy } from './bare-proxy.js';
import type { LoadPlan } from './load.js';
import { loadFromSecondProcess, quantile } from './stats.js';

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
const ms = (v: number) => `${v.toFixed(2).padStart(7)} ms`;
const ownCpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

console.log(
  `@g4f/server bench (Node ${process.version}, ${(await import('node:os')).availableParallelism()} cores shared by load, proxy and replica; figures are noisy)`,
);
const scenarios = [
  {
    label: 'back to back',
    delayMs: 0,
    runs: [
      [1, 1000],
      [50, 3000],
      [200, 4000],
    ],
  },
  {
    label: '40 ms apart',
    delayMs: 40,
    runs: [
      [50, 1000],
      [200, 3000],
    ],
  },
] as const;
for (const scenario of scenarios) {
  const { replica, server } = await startServerOverReplica(scenario.delayMs);
  const bare = await startBareProxy(replica.url);
  console.log(`\nanswer: 6 pieces ${scenario.label}`);
  console.log(
    'streams  path          req/s   first-chunk p50      p99  errors   CPU ms/request: load  proxy  replica',
  );
  for (const [concurrency, count] of scenario.runs) {
    const plans: Record<string, LoadPlan> = {
      direct: { ...base, url: replica.url, concurrency, count, mode: 'direct' },
      'bare proxy': { ...base, url: bare.url, concurrency, count },
      'g4f server': { ...base, url: server.url, concurrency, count },
    };
    const p50: Record<string, number> = {};
    for (const [name, plan] of Object.entries(plans)) {
      await loadFromSecondProcess({ ...plan, count: Math.min(200, count) });
      const before = { own: ownCpuMs(), replica: await replica.cpuMs() };
      const r = await loadFromSecondProcess(plan);
      const perRequest = (v: number) => (v / Math.max(1, r.done)).toFixed(3).padStart(6);
      const proxyCpu = name === 'direct' ? 0 : ownCpuMs() - before.own;
      const replicaCpu = (await replica.cpuMs()) - before.replica;
      p50[name] = quantile(r.firstChunkMs, 0.5);
      const rps = (r.done / r.elapsedMs) * 1000;
      console.log(
        `${String(concurrency).padStart(7)}  ${name.padEnd(11)} ${rps.toFixed(0).padStart(6)}  ${ms(p50[name]!)}  ${ms(quantile(r.firstChunkMs, 0.99))}  ${String(r.errors).padStart(6)}  ${' '.repeat(14)}${perRequest(r.cpuMs)} ${perRequest(proxyCpu)}   ${perRequest(replicaCpu)}${r.firstError ? ` (${r.firstError})` : ''}`,
      );
    }
    console.log(
      `         added p50: bare proxy ${ms(p50['bare proxy']! - p50.direct!)}, g4f server ${ms(p50['g4f server']! - p50.direct!)}`,
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
