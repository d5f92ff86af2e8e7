import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LoadPlan, LoadResult } from './load.js';

/** The q-quantile (0..1) of `values`, nearest rank. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

/** The median of `values` (the lower middle one of an even count). */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/** Runs `load.ts` in a second Node process with the plan and returns what it measured. */
export function loadFromSecondProcess(plan: LoadPlan): Promise<LoadResult> {
  const script = fileURLToPath(new URL('./load.ts', import.meta.url));
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', script, 'run', JSON.stringify(plan)],
      // The plan's own bound plus time to start and report: a hung run fails the bench.
      { maxBuffer: 64 * 1024 * 1024, timeout: plan.maxMs + 30_000 },
      (error, stdout) => {
        if (error) reject(error);
        else resolve(JSON.parse(stdout) as LoadResult);
      },
    );
  });
}
