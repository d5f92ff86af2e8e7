// Load generator run as a second process: sends `count` streaming requests at `concurrency`
// over loopback (bounded by `maxMs`) and prints first-chunk latencies as one JSON line.
import { performance } from 'node:perf_hooks';
import { Acytoo } from '@g4f/acytoo';
import { Client } from '@g4f/client';
import { encodeRequest, LeanConnection } from './lean-connection.js';

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
  /**
   * Workers start spread evenly over this many ms (default 0: all at once). With answers that
   * all take the same time, workers started together stay in step, and every wave of
   * `concurrency` requests reaches the server in the same instant.
   */
  rampMs?: number;
  /** Each worker waits a random 0..gapMs ms between its requests, so they do not fall back in step (default 0). */
  gapMs?: number;
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
  /** Requests in flight, averaged while every worker was running. */
  meanOpen: number;
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

/**
 * Requests in flight, averaged over the time every worker was running (after the last one
 * started, before the first one ran out of requests): the concurrency the server really saw.
 */
function meanInFlight(changes: [number, number][], from: number, to: number): number {
  let open = 0;
  let area = 0;
  let last = from;
  for (const [time, delta] of changes) {
    if (time > to) break;
    if (time > from) {
      area += open * (time - last);
      last = time;
    }
    open += delta;
  }
  area += open * (to - last);
  return to > from ? area / (to - from) : open;
}

/** Runs the plan; each request is read to its end. */
export async function runLoad(plan: LoadPlan): Promise<LoadResult> {
  const { shot, close } = plan.mode === 'direct' ? directShot(plan) : httpShot(plan);
  const firstChunkMs: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let started = 0;
  let done = 0;
  // Requests in flight over time, for `meanOpen`: [time, change] pairs.
  const changes: [number, number][] = [];
  const setOpen = (delta: number) => changes.push([performance.now(), delta]);
  let lastStart = 0;
  let firstStop = Number.POSITIVE_INFINITY;
  const begin = performance.now();
  const cpuBefore = process.cpuUsage();
  const deadline = begin + plan.maxMs;
  const worker = async (index: number) => {
    if (plan.rampMs) await pause((plan.rampMs * index) / plan.concurrency);
    lastStart = Math.max(lastStart, performance.now());
    while (started < plan.count && performance.now() < deadline) {
      started++;
      setOpen(1);
      try {
        firstChunkMs.push(await shot(index));
      } catch (error) {
        errors++;
        firstError ??= String(error);
      }
      setOpen(-1);
      done++;
      if (plan.gapMs) await pause(Math.random() * plan.gapMs);
    }
    firstStop = Math.min(firstStop, performance.now());
  };
  await Promise.all(Array.from({ length: plan.concurrency }, (_, index) => worker(index)));
  const elapsedMs = performance.now() - begin;
  const cpu = process.cpuUsage(cpuBefore);
  close();
  return {
    firstChunkMs,
    errors,
    firstError,
    elapsedMs,
    done,
    cpuMs: (cpu.user + cpu.system) / 1000,
    meanOpen: meanInFlight(changes, lastStart, firstStop),
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
