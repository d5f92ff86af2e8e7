// Load generator run as a second process: sends `count` streaming requests at `concurrency`
// over loopback (bounded by `maxMs`) and prints first-chunk latencies as one JSON line.
import { performance } from 'node:perf_hooks';
import { Acytoo } from '@g4f/acytoo';
import { Client } from '@g4f/client';
import { Pool } from 'undici';

/** What the parent asks for. */
export interface LoadPlan {
  url: string;
  path: string;
  body: string;
  headers?: Record<string, string>;
  concurrency: number;
  count: number;
  maxMs: number;
  /**
   * `direct`: call the provider through `@g4f/client` in this process (`url` is the replica),
   * the baseline the server's added latency is measured against. Default: HTTP to `url`.
   */
  mode?: 'http' | 'direct';
}

/** What the load run measured. */
export interface LoadResult {
  firstChunkMs: number[];
  errors: number;
  firstError?: string;
  elapsedMs: number;
  done: number;
  /** CPU time (user + system) this load process used for the run, in ms. */
  cpuMs: number;
}

/** One request read to its end; resolves to the first-chunk latency in ms. */
type Shot = () => Promise<number>;

function httpShot(plan: LoadPlan, pool: Pool): Shot {
  return async () => {
    const t0 = performance.now();
    const res = await pool.request({
      method: 'POST',
      path: plan.path,
      body: plan.body,
      headers: { 'content-type': 'application/json', ...plan.headers },
    });
    let first = -1;
    let text = '';
    for await (const piece of res.body) {
      if (first < 0) first = performance.now() - t0;
      text += piece.toString();
    }
    if (res.statusCode !== 200 || first < 0 || !text.includes('[DONE]')) {
      throw new Error(`status ${res.statusCode}: ${text.slice(0, 200)}`);
    }
    return first;
  };
}

function directShot(plan: LoadPlan): Shot {
  const client = new Client({ providers: [new Acytoo({ baseUrl: plan.url })] });
  const { messages } = JSON.parse(plan.body) as { messages: { role: 'user'; content: string }[] };
  return async () => {
    const t0 = performance.now();
    const stream = await client.chat.completions.create({ messages, stream: true });
    let first = -1;
    for await (const _chunk of stream) if (first < 0) first = performance.now() - t0;
    if (first < 0) throw new Error('empty answer');
    return first;
  };
}

/** Runs the plan; each request is read to its end. */
export async function runLoad(plan: LoadPlan): Promise<LoadResult> {
  const pool = new Pool(plan.url, { connections: plan.concurrency, pipelining: 1 });
  const shot = plan.mode === 'direct' ? directShot(plan) : httpShot(plan, pool);
  const firstChunkMs: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let started = 0;
  let done = 0;
  const begin = performance.now();
  const cpuBefore = process.cpuUsage();
  const deadline = begin + plan.maxMs;
  const worker = async () => {
    while (started < plan.count && performance.now() < deadline) {
      started++;
      try {
        firstChunkMs.push(await shot());
      } catch (error) {
        errors++;
        firstError ??= String(error);
      }
      done++;
    }
  };
  await Promise.all(Array.from({ length: plan.concurrency }, worker));
  const elapsedMs = performance.now() - begin;
  const cpu = process.cpuUsage(cpuBefore);
  await pool.close();
  return {
    firstChunkMs,
    errors,
    firstError,
    elapsedMs,
    done,
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
}

if (process.argv[2] === 'run') {
  const plan = JSON.parse(process.argv[3] ?? '{}') as LoadPlan;
  runLoad(plan).then(
    (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
