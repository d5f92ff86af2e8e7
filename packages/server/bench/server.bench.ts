// `pnpm bench`: first-chunk latency through the server vs the same client call in process, at
// 1, 50 and 200 concurrent streams against the Acytoo replica; load comes from a second process
// on loopback, bounded in count and time. Then the server process's RSS and heap around three
// batches of 10,000 requests.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Acytoo } from '@g4f/acytoo';
import { Client } from '@g4f/client';
// The built entry, as users get it (the source needs the build-time __PACKAGE_VERSION__).
import { startServer } from '../dist/index.js';
import type { LoadPlan } from './load.js';
import { loadFromSecondProcess, quantile } from './stats.js';

// The replica runs in a third process: the server's process then holds only what it adds.
const replicaProcess = spawn(
  process.execPath,
  ['--import', 'tsx', fileURLToPath(new URL('./replica-process.ts', import.meta.url))],
  { stdio: ['pipe', 'pipe', 'inherit'] },
);
const [line] = (await once(replicaProcess.stdout, 'data')) as [Buffer];
const replica = { url: line.toString().trim() };
const client = new Client({ providers: [new Acytoo({ baseUrl: replica.url })] });
const server = await startServer({ client, port: 0, maxConcurrentStreams: 1000 });
const body = JSON.stringify({ messages: [{ role: 'user', content: 'Say hello.' }], stream: true });
const base = { path: '/v1/chat/completions', body, maxMs: 60_000 };
const ms = (v: number) => `${v.toFixed(2).padStart(7)} ms`;

console.log(
  `@g4f/server bench (Node ${process.version}; the machine is shared with other jobs, figures are noisy)`,
);
console.log('streams  path      requests   req/s   first-chunk p50     p99   errors');
for (const [concurrency, count] of [
  [1, 1000],
  [50, 3000],
  [200, 4000],
] as const) {
  const plans: Record<string, LoadPlan> = {
    direct: { ...base, url: replica.url, concurrency, count, mode: 'direct' },
    server: { ...base, url: server.url, concurrency, count },
  };
  const p50: Record<string, number> = {};
  const p99: Record<string, number> = {};
  for (const [name, plan] of Object.entries(plans)) {
    await loadFromSecondProcess({ ...plan, count: Math.min(200, count) });
    const r = await loadFromSecondProcess(plan);
    p50[name] = quantile(r.firstChunkMs, 0.5);
    p99[name] = quantile(r.firstChunkMs, 0.99);
    const rps = (r.done / r.elapsedMs) * 1000;
    console.log(
      `${String(concurrency).padStart(7)}  ${name.padEnd(8)} ${String(r.done).padStart(9)}  ${rps.toFixed(0).padStart(6)}  ${ms(p50[name]!)}  ${ms(p99[name]!)}  ${r.errors}${r.firstError ? ` (${r.firstError})` : ''}`,
    );
  }
  console.log(
    `         added by the server: p50 ${ms(p50.server! - p50.direct!)}, p99 ${ms(p99.server! - p99.direct!)}`,
  );
}

const gc = (globalThis as { gc?: () => void }).gc;
const mb = (v: number) => `${(v / 1024 / 1024).toFixed(1)} MB`;
const signed = (v: number) => `${v >= 0 ? '+' : '-'}${mb(Math.abs(v))}`;
// Warm-up first, so JIT and connection pools do not count as growth. Then three batches: RSS
// rarely shrinks once the allocator has grown, so "flat" means the later batches add nothing,
// and the heap after a full GC shows whether anything is still held.
await loadFromSecondProcess({ ...base, url: server.url, concurrency: 50, count: 2000 });
gc?.();
const start = process.memoryUsage();
console.log(`memory after warm-up: RSS ${mb(start.rss)}, heap used ${mb(start.heapUsed)}`);
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
replicaProcess.stdin.end();
await once(replicaProcess, 'exit');
