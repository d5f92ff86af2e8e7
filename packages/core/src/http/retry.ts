import { delay } from '../delay.js';
import { ProviderError } from '../errors/provider-error.js';
import { RateLimitError } from '../errors/rate-limit-error.js';

/** Options of {@link retryWithBackoff}. */
export interface RetryOptions {
  /** Attempts in all, the first included; default 3. */
  maxAttempts?: number;
  /** Back-off unit: the wait after the n-th failed attempt is `baseDelayMs * 2**n`. Default 1,000. */
  baseDelayMs?: number;
  /** Longest server-asked wait (`Retry-After`) honoured for one retry; longer ones are cut. Default 60,000. */
  maxRetryAfterMs?: number;
  /**
   * Bound on the time spent waiting between attempts over the whole call, in ms. When the next
   * wait would pass it, the last error is thrown at once instead of waiting. Default: no bound
   * beyond `maxAttempts`.
   */
  maxRetryWaitMs?: number;
  /** Whether an error is worth another attempt; default: it is a `RateLimitError`. */
  shouldRetry?: (error: unknown) => boolean;
  /** Ends a wait at once with `signal.reason`. */
  signal?: AbortSignal;
  /** How to wait; default a real abortable timer. Tests pass a recorder. */
  sleep?: (milliseconds: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Runs `attempt` until it succeeds, its error is not worth retrying, or the attempts or the
 * wait budget run out; the last error is then thrown unchanged, so a `RateLimitError` keeps the
 * last response's status, headers and body excerpt. Between attempts it waits what the server
 * asked (`RateLimitError.retryAfterMs`, cut to `maxRetryAfterMs`), else an exponential back-off.
 */
export async function retryWithBackoff<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 3;
  const shouldRetry = options.shouldRetry ?? ((error) => RateLimitError.isInstance(error));
  const sleep = options.sleep ?? delay;
  let waited = 0;
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (options.signal?.aborted || n >= maxAttempts || !shouldRetry(error)) throw error;
      const asked = RateLimitError.isInstance(error) ? error.retryAfterMs : undefined;
      const wait =
        asked !== undefined
          ? Math.min(asked, options.maxRetryAfterMs ?? 60_000)
          : (options.baseDelayMs ?? 1000) * 2 ** n;
      const budget = options.maxRetryWaitMs ?? Number.POSITIVE_INFINITY;
      if (waited + wait > budget) {
        throw withNote(
          error,
          `not retried: waiting ${wait} ms would pass the ${budget} ms retry budget`,
        );
      }
      waited += wait;
      await sleep(wait, options.signal);
    }
  }
}

/** The error itself, its message extended when it is ours (the class and fields stay). */
function withNote(error: unknown, note: string): unknown {
  if (ProviderError.isInstance(error)) error.message = `${error.message} (${note})`;
  return error;
}
