// `pnpm bench`: first-chunk latency through the server vs the same client call in process, at
// 1, 50 and 200 concurrent streams against the Acytoo replica; load comes from a second process
// on loopback, bounded in count and time. Two kinds of answer: six pieces 40 ms apart (streams
// that stay open, as a model's answer does) and six pieces back to back (the most requests per
// second the machine can take). A bare Node proxy runs the same load as a yardstick. The
// replica, the bare proxy and the server each run in a process of their own, so every row can
// say how much CPU each spent per request; each figure is the median of three rounds, and the
// added p50 and p99 are those of the rounds' differences to the direct path. Then the
// server process's RSS and heap around three batches of 10,000 requests.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { LoadPlan } from './load.js';
import { loadFromSecondProcess, median, quantile } from './stats.js';

/** A service of `service-process.ts` (replica, bare proxy or g4f server) in its own process. */
async function startService(kind: 'replica' | 'bare' | 'server', arg: string) {
  const script = fileURLToPath(new URL('./service-process.ts', import.meta.url));
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', script, kind, arg], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const replies = createInterface({ input: child.stdout });
  const waiting: ((line: string) => void)[] = [];
  replies.on('line', (line) => waiting.shift()?.(line));
  const ask = (command: string): Promise<string> =>
    new Promise((resolve) => {
      waiting.push(resolve);
      if (command !== '') child.stdin.write(`${command}\n`);
    });
  const url = await ask('');
  return {
    url,
    /** CPU ms the process has used so far. */
    cpuMs: async (): Promise<number> => Number(await ask('cpu')),
    /** RSS and heap used after a full GC, in bytes. */
    memory: async (): Promise<{ rss: number; heapUsed: number }> =>
      JSON.parse(await ask('memory')) as { rss: number; heapUsed: number },
    stop: async () => {
      child.stdin.end();
      await once(child, 'exit');
    },
  };
}
type Service = Awaited<ReturnType<typeof startService>>;

/** The replica, and the bare proxy and the g4f server in front of it. */
async function startServices(chunkDelayMs: number) {
  const replica = await startService('replica', String(chunkDelayMs));
  const [bare, server] = await Promise.all([
    startService('bare', replica.url),
    startService('server', replica.url),
  ]);
  return {
    replica,
    bare,
    server,
    stop: () => Promise.all([bare.stop(), server.stop()]).then(() => replica.stop()),
  };
}

const body = JSON.stringify({ messages: [{ role: 'user', content: 'Say hello.' }], stream: true });
const base = { path: '/v1/chat/completions', body, maxMs: 60_000 };
const ROUNDS = 3;
const ms = (v: number) => `${v.toFixed(2).padStart(7)} ms`;
const signedMs = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(2)}`;
const cell = (v: number | undefined) => (v === undefined ? '–' : v.toFixed(3)).padStart(6);

console.log(
  `@g4f/server bench (Node ${process.version}, ${availableParallelism()} cores shared by load, proxy and replica; each figure the median of ${ROUNDS} rounds)`,
);
// With answers paced like a model's, the workers start spread over one answer and pause a
// random 0-10 ms between requests: started together, they would stay in step, and every wave
// of 200 requests would reach the server in the same instant, which measures a burst, not 200
// open streams. `open` in the table is the median of requests in flight as each one started.
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
  cpu: { load: number; proxy: number | undefined; replica: number };
}

for (const scenario of scenarios) {
  const services = await startServices(scenario.delayMs);
  const { replica } = services;
  const proxies: Record<PathName, Service | undefined> = {
    direct: undefined,
    'bare proxy': services.bare,
    'g4f server': services.server,
  };
  console.log(`\nanswer: 6 pieces ${scenario.label}`);
  console.log(
    'streams  path         open   req/s   first-chunk p50      p99  errors   CPU ms/request: load  proxy  replica',
  );
  for (const [concurrency, count] of scenario.runs) {
    const plan = (url: string): LoadPlan => ({
      ...base,
      ...scenario.pacing,
      url,
      concurrency,
      count,
      warmup: Math.ceil(count / 4),
    });
    const plans: Record<PathName, LoadPlan> = {
      direct: { ...plan(replica.url), mode: 'direct' },
      'bare proxy': plan(services.bare.url),
      'g4f server': plan(services.server.url),
    };
    const rows = new Map<PathName, Row[]>(paths.map((name) => [name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      // Each round starts with another path, so that none always runs on the warmest machine.
      const order = paths.map((_, i) => paths[(i + round) % paths.length]!);
      for (const name of order) {
        const proxy = proxies[name];
        // CPU is read around the whole run, warm-up included, and the load process's own
        // figure covers the measured requests only: the proxy and replica columns are a
        // little high by comparison, the same for every path.
        const before = { proxy: await proxy?.cpuMs(), replica: await replica.cpuMs() };
        const r = await loadFromSecondProcess(plans[name]);
        const after = { proxy: await proxy?.cpuMs(), replica: await replica.cpuMs() };
        const all = r.done + (plans[name].warmup ?? 0);
        rows.get(name)!.push({
          rps: (r.done / r.elapsedMs) * 1000,
          open: r.open,
          p50: quantile(r.firstChunkMs, 0.5),
          p99: quantile(r.firstChunkMs, 0.99),
          errors: r.errors + r.warmupErrors,
          firstError: r.firstError,
          cpu: {
            load: r.cpuMs / Math.max(1, r.done),
            proxy:
              before.proxy === undefined || after.proxy === undefined
                ? undefined
                : (after.proxy - before.proxy) / all,
            replica: (after.replica - before.replica) / all,
          },
        });
      }
    }
    for (const name of paths) {
      const runs = rows.get(name)!;
      const mid = (pick: (row: Row) => number) => median(runs.map(pick));
      const errors = runs.reduce((sum, row) => sum + row.errors, 0);
      const firstError = runs.find((row) => row.firstError)?.firstError;
      const proxyCpu = runs[0]!.cpu.proxy === undefined ? undefined : mid((r) => r.cpu.proxy!);
      console.log(
        `${String(concurrency).padStart(7)}  ${name.padEnd(11)} ${mid((r) => r.open)
          .toFixed(0)
          .padStart(4)}  ${mid((r) => r.rps)
          .toFixed(0)
          .padStart(
            6,
          )}  ${ms(mid((r) => r.p50))}  ${ms(mid((r) => r.p99))}  ${String(errors).padStart(6)}  ${' '.repeat(14)}${cell(mid((r) => r.cpu.load))} ${cell(proxyCpu)}   ${cell(mid((r) => r.cpu.replica))}${firstError ? ` (${firstError})` : ''}`,
      );
    }
    // The added latency of each round (its paths ran one after the other), then the median.
    const added = (name: PathName, pick: (row: Row) => number) =>
      rows.get(name)!.map((row, i) => pick(row) - pick(rows.get('direct')![i]!));
    const show = (name: PathName, pick: (row: Row) => number) =>
      `${ms(median(added(name, pick)))} (rounds ${added(name, pick).map(signedMs).join(', ')})`;
    for (const [label, pick] of [
      ['p50', (row: Row) => row.p50],
      ['p99', (row: Row) => row.p99],
    ] as const) {
      console.log(
        `         added ${label}: bare proxy ${show('bare proxy', pick)}, g4f server ${show('g4f server', pick)}`,
      );
    }
  }
  await services.stop();
}

const services = await startServices(0);
const { server } = services;
const mb = (v: number) => `${(v / 1024 / 1024).toFixed(1)} MB`;
const signed = (v: number) => `${v >= 0 ? '+' : '-'}${mb(Math.abs(v))}`;
// Warm-up first, so JIT and connection pools do not count as growth. Then three batches: RSS
// rarely shrinks once the allocator has grown, so "flat" means the later batches add nothing,
// and the heap after a full GC shows whether anything is still held.
const batch = { ...base, url: server.url, concurrency: 50 };
const warm = await loadFromSecondProcess({ ...batch, count: 2000 });
const start = await server.memory();
console.log(
  `\nmemory after a warm-up of 2,000 requests (${warm.errors} errors): RSS ${mb(start.rss)}, heap used ${mb(start.heapUsed)}`,
);
let previous = start;
for (let round = 1; round <= 3; round++) {
  const r = await loadFromSecondProcess({ ...batch, count: 10_000 });
  const now = await server.memory();
  console.log(
    `10,000 requests at 50 streams (batch ${round}): ${r.done} done, ${r.errors} errors; server RSS ${mb(now.rss)} (${signed(now.rss - previous.rss)}), heap used ${mb(now.heapUsed)} (${signed(now.heapUsed - previous.heapUsed)})`,
  );
  previous = now;
}
await services.stop();
