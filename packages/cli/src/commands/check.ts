import { Client } from '@g4f/client';
import {
  CloudflareError,
  MissingAuthError,
  NetworkError,
  type Provider,
  RateLimitError,
  RequestTimeoutError,
  ResponseStatusError,
} from '@g4f/core';
import { type Context, withInterrupt } from '../context.js';
import { EXIT_INTERRUPTED, EXIT_OK, EXIT_UPSTREAM, errorClass } from '../errors.js';
import { buildProviders, canonicalName } from '../providers.js';
import { colourEnabled, createSpinner, styles, table } from '../terminal.js';

/** Options of `g4f check`. */
export interface CheckOptions {
  json?: boolean;
}

/** How one provider fared, as `--json` prints it. */
export type CheckStatus =
  | 'ok'
  | 'needs_auth'
  | 'rate_limited'
  | 'challenge'
  | 'timeout'
  | 'unreachable'
  | 'error';

/** One row of `g4f check`. */
export interface CheckResult {
  provider: string;
  label: string;
  status: CheckStatus;
  /** Time until the whole answer had arrived, or until the failure. */
  latencyMs: number;
  /** The start of the answer, when there was one. */
  answer?: string;
  error?: { name: string; message: string };
}

const WORDS: Record<CheckStatus, string> = {
  ok: 'answers',
  needs_auth: 'needs auth',
  rate_limited: 'rate limited',
  challenge: 'challenge page',
  timeout: 'timed out',
  unreachable: 'unreachable',
  error: 'failed',
};

/** Without `--timeout`, each provider gets this long (ms): a check should be quick. */
export const CHECK_TIMEOUT_MS = 15_000;

const PROMPT = 'Say hello in one short sentence.';

/** At most `max` characters, cut between code points so an emoji is never halved. */
function shorten(text: string, max: number): string {
  const points = Array.from(text);
  return points.length > max ? `${points.slice(0, max - 1).join('')}…` : text;
}

/** Sorts a failure into the buckets `check` reports. */
export function classify(error: unknown): CheckStatus {
  if (CloudflareError.isInstance(error)) return 'challenge';
  if (RateLimitError.isInstance(error)) return 'rate_limited';
  if (MissingAuthError.isInstance(error)) return 'needs_auth';
  if (ResponseStatusError.isInstance(error) && error.status === 401) return 'needs_auth';
  if (RequestTimeoutError.isInstance(error)) return 'timeout';
  if (error instanceof Error && error.name === 'TimeoutError') return 'timeout';
  if (NetworkError.isInstance(error)) return 'unreachable';
  return 'error';
}

async function checkOne(
  client: Client,
  provider: Provider,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<CheckResult> {
  const started = performance.now();
  const row = { provider: provider.name, label: provider.label };
  try {
    const completion = await client.chat.completions.create({
      messages: PROMPT,
      provider,
      timeout: timeoutMs,
      // The provider's timeout is per wait; this bounds the whole answer.
      signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
    });
    const answer = completion.choices[0].message.content.trim();
    return {
      ...row,
      status: 'ok',
      latencyMs: Math.round(performance.now() - started),
      answer: shorten(answer, 60),
    };
  } catch (error) {
    if (signal.aborted) throw error;
    return {
      ...row,
      status: classify(error),
      latencyMs: Math.round(performance.now() - started),
      error: {
        name: errorClass(error),
        message: shorten(
          (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '',
          120,
        ),
      },
    };
  }
}

/** `g4f check [providers...]`: one short chat to each provider in parallel, and a table. */
export async function checkCommand(
  names: readonly string[],
  options: CheckOptions,
  ctx: Context,
): Promise<number> {
  const wanted = new Set(names.map(canonicalName));
  const timeoutMs = ctx.settings.timeout ?? CHECK_TIMEOUT_MS;
  const set = await buildProviders({ ...ctx.settings, timeout: timeoutMs });
  try {
    const providers = set.providers.filter((p) => wanted.size === 0 || wanted.has(p.name));
    const client = new Client({ providers, proxy: ctx.settings.proxy });
    const spinner = createSpinner(ctx.stderr);
    spinner.start(`asking ${providers.length} providers`);
    let results: CheckResult[] = [];
    const { interrupted } = await withInterrupt(async (signal) => {
      try {
        results = await Promise.all(providers.map((p) => checkOne(client, p, timeoutMs, signal)));
      } finally {
        spinner.stop();
      }
    });
    if (interrupted) return EXIT_INTERRUPTED;
    if (options.json) {
      ctx.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    } else {
      const style = styles(colourEnabled(ctx.stdout, ctx.env));
      ctx.stdout.write(
        table(
          ['provider', 'status', 'latency', 'answer or error'],
          results.map((r) => [
            r.provider,
            WORDS[r.status],
            `${r.latencyMs} ms`,
            r.error ? `${r.error.name}: ${r.error.message}` : `“${r.answer ?? ''}”`,
          ]),
          style,
          (cell, row, column) => {
            if (column !== 1) return cell;
            return results[row]?.status === 'ok' ? style.green(cell) : style.red(cell);
          },
        ),
      );
    }
    return results.some((r) => r.status === 'ok') ? EXIT_OK : EXIT_UPSTREAM;
  } finally {
    await set.close();
  }
}
