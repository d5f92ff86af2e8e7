import { ProviderError, type ProviderErrorOptions } from './provider-error.js';

/** The connection failed or broke before the answer was complete. Retryable. */
export class NetworkError extends ProviderError {
  static override readonly errorName: string = 'NetworkError';
  constructor(message: string, options: ProviderErrorOptions = {}) {
    super(message, { isRetryable: true, ...options });
  }
}

/** Options of {@link RequestTimeoutError}. */
export interface RequestTimeoutErrorOptions extends ProviderErrorOptions {
  /** Which wait ran out. */
  phase: 'connect' | 'headers' | 'body';
  /** The limit that was exceeded, in milliseconds. */
  timeoutMs?: number;
}

/** A connect, first-byte or between-chunks wait ran out. Retryable. */
export class RequestTimeoutError extends ProviderError {
  static override readonly errorName: string = 'RequestTimeoutError';
  /** Which wait ran out. */
  readonly phase: 'connect' | 'headers' | 'body';
  /** The limit that was exceeded, in milliseconds, when known. */
  readonly timeoutMs: number | undefined;
  constructor(message: string, options: RequestTimeoutErrorOptions) {
    super(message, { isRetryable: true, ...options });
    this.phase = options.phase;
    this.timeoutMs = options.timeoutMs;
  }
}
