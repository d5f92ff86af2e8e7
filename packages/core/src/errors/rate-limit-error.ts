import { ResponseStatusError, type ResponseStatusErrorOptions } from './response-status-error.js';

/** Options of {@link RateLimitError}. */
export interface RateLimitErrorOptions extends ResponseStatusErrorOptions {
  /** How long the upstream asked us to wait, in milliseconds, if it said. */
  retryAfterMs?: number;
}

/** The upstream refused for now: 429 or 402, or a body that says the rate limit was hit. */
export class RateLimitError extends ResponseStatusError {
  static override readonly errorName: string = 'RateLimitError';

  /** How long the upstream asked us to wait, in milliseconds; undefined when it did not say. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: RateLimitErrorOptions) {
    super(message, { ...options, isRetryable: options.isRetryable ?? true });
    this.retryAfterMs = options.retryAfterMs;
  }

  /** The wait in whole seconds, as g4f's `retryAfter` was expressed. */
  get retryAfter(): number | undefined {
    return this.retryAfterMs === undefined ? undefined : Math.ceil(this.retryAfterMs / 1000);
  }
}
