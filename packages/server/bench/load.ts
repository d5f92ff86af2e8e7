// Load generator run as a second process: sends `count` streaming requests at `concurrency`
// over loopback (bounded by `maxMs`) after `warmup` unmeasured ones, and prints first-chunk
// latencies as one JSON line.
import { performance } from 'node:perf_hooks';
import { Acytoo } from '@g4f/acytoo';
import { Client } from '@g4f/client';
import { encodeRequest, LeanConnection } from './lean-connection.js';
import { median } from './stats.js';

/** What the parent asks for. */
export interface LoadPlan {
  url: string;
  path: string;
  body: string;
  headers?: Record<string, string>;
  concurrency: number;
  count: number;
  /**
   * Requests sent first and not measured, at the same concurrency and pacing (default 0): the
   * load process is new for each run, and its code (the client, on the direct path) would
   * otherwise be measured while cold.
   */
  warmup?: number;
  maxMs: number;
  /**
   * `direct`: call the provider through `@g4f/client` in this process (`url` is the replica),
   * the baseline the server's added latency is measured against. Default: HTTP to `url`.
   */
  mode?: 'http' | 'direct';
  /**
   * Workers start spread evenly over this many ms (default 0: all at once). With answers that
   * all take the same time, workers started together stay in step, and every wave of
   * `concurrency` requests reaches the server in the same instant.
   */
  rampMs?: number;
  /** Each worker waits a random 0..gapMs ms between its requests, so they do not fall back in step (default 0). */
  gapMs?: number;
}

/** What the load run measured (the warm-up left out, but for its errors). */
export interface LoadResult {
  firstChunkMs: number[];
  errors: number;
  /** Failed requests of the warm-up. */
  warmupErrors: number;
  firstError?: string;
  elapsedMs: number;
  done: number;
  /** CPU time (user + system) this load process used for the measured run, in ms. */
  cpuMs: number;
  /** Median of the requests in flight, the new one included, as each measured request started. */
  open: number;
}

/** One request read to its end by worker `worker`; resolves to the first-chunk latency in ms. */
type Shot = (worker: number) => Promise<number>;

function httpShot(plan: LoadPlan): { shot: Shot; close: () => void } {
  const { hostname, port } = new URL(plan.url);
  const request = encodeRequest(plan.url, plan.path, plan.body, plan.headers);
  const connections = Array.from(
    { length: plan.concurrency },
    () => new LeanConnection(Number(port), hostname),
  );
  return {
    shot: async (worker) => {
      const answer = await connections[worker]!.send(request);
      if (answer.status !== 200 || answer.firstByteMs < 0 || !answer.body.includes('[DONE]')) {
        throw new Error(`status ${answer.status}: ${answer.body.slice(0, 200)}`);
      }
      return answer.firstByteMs;
    },
    close: () => {
      for (const connection of connections) connection.close();
    },
  };
}

function directShot(plan: LoadPlan): { shot: Shot; close: () => void } {
  const client = new Client({ providers: [new Acytoo({ baseUrl: plan.url })] });
  const { messages } = JSON.parse(plan.body) as { messages: { role: 'user'; content: string }[] };
  return {
    shot: async () => {
      const t0 = performance.now();
      const stream = await client.chat.completions.create({ messages, stream: true });
      let first = -1;
      for await (const _chunk of stream) if (first < 0) first = performance.now() - t0;
      if (first < 0) throw new Error('empty answer');
      return first;
    },
    close: () => undefined,
  };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Phase {
  firstChunkMs: number[];
  openAtStart: number[];
  errors: number;
  firstError?: string;
  done: number;
  elapsedMs: number;
  cpuMs: number;
}

/** `count` requests from `concurrency` workers, each read to its end. */
async function phase(plan: LoadPlan, shot: Shot, count: number, deadline: number): Promise<Phase> {
  const result: Phase = {
    firstChunkMs: [],
    openAtStart: [],
    errors: 0,
    done: 0,
    elapsedMs: 0,
    cpuMs: 0,
  };
  let started = 0;
  let open = 0;
  const begin = performance.now();
  const cpuBefore = process.cpuUsage();
  const worker = async (index: number) => {
    if (plan.rampMs) await pause((plan.rampMs * index) / plan.concurrency);
    while (started < count && performance.now() < deadline) {
      started++;
      result.openAtStart.push(++open);
      try {
        result.firstChunkMs.push(await shot(index));
      } catch (error) {
        result.errors++;
        result.firstError ??= String(error);
      }
      open--;
      result.done++;
      if (plan.gapMs) await pause(Math.random() * plan.gapMs);
    }
  };
  await Promise.all(Array.from({ length: plan.concurrency }, (_, index) => worker(index)));
  result.elapsedMs = performance.now() - begin;
  const cpu = process.cpuUsage(cpuBefore);
  result.cpuMs = (cpu.user + cpu.system) / 1000;
  return result;
}

/** Runs the plan: the warm-up, then the measured requests. */
export async function runLoad(plan: LoadPlan): Promise<LoadResult> {
  const { shot, close } = plan.mode === 'direct' ? directShot(plan) : httpShot(plan);
  const deadline = performance.now() + plan.maxMs;
  try {
    const warm = await phase(plan, shot, plan.warmup ?? 0, deadline);
    const run = await phase(plan, shot, plan.count, deadline);
    return {
      firstChunkMs: run.firstChunkMs,
      errors: run.errors,
      warmupErrors: warm.errors,
      firstError: warm.firstError ?? run.firstError,
      elapsedMs: run.elapsedMs,
      done: run.done,
      cpuMs: run.cpuMs,
      open: median(run.openAtStart),
    };
  } finally {
    close();
  }
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
