// Load generator run as a second process: sends `count` streaming requests at `concurrency`
// over loopback (bounded by `maxMs`) and prints first-chunk latencies as one JSON line.
import { performance } from 'node:perf_hooks';
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
}

/** What the load run measured. */
export interface LoadResult {
  firstChunkMs: number[];
  errors: number;
  firstError?: string;
  elapsedMs: number;
  done: number;
}

/** Runs the plan with one undici pool; each request is read to its end. */
export async function runLoad(plan: LoadPlan): Promise<LoadResult> {
  const pool = new Pool(plan.url, { connections: plan.concurrency, pipelining: 1 });
  const firstChunkMs: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let started = 0;
  let done = 0;
  const begin = performance.now();
  const deadline = begin + plan.maxMs;
  const worker = async () => {
    while (started < plan.count && performance.now() < deadline) {
      started++;
      const t0 = performance.now();
      try {
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
        firstChunkMs.push(first);
      } catch (error) {
        errors++;
        firstError ??= String(error);
      }
      done++;
    }
  };
  await Promise.all(Array.from({ length: plan.concurrency }, worker));
  const elapsedMs = performance.now() - begin;
  await pool.close();
  return { firstChunkMs, errors, firstError, elapsedMs, done };
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
