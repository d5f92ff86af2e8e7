import { ProviderError, type ProviderErrorOptions } from './provider-error.js';

/** Options of {@link MissingAuthError}. */
export interface MissingAuthErrorOptions extends ProviderErrorOptions {
  /** HTTP status that revealed the missing or rejected credentials, if any. */
  status?: number;
}

/** Credentials are missing, expired or refused (HTTP 401/403). Not retryable as is. */
export class MissingAuthError extends ProviderError {
  static override readonly errorName: string = 'MissingAuthError';
  /** HTTP status that revealed the problem, if any. */
  readonly status: number | undefined;
  constructor(message: string, options: MissingAuthErrorOptions = {}) {
    super(message, options);
    this.status = options.status;
  }
}

/** A dependency or setting the provider needs is not there. */
export class MissingRequirementsError extends ProviderError {
  static override readonly errorName: string = 'MissingRequirementsError';
}

/** The provider is flagged as not working and the caller asked for working ones only. */
export class ProviderNotWorkingError extends ProviderError {
  static override readonly errorName: string = 'ProviderNotWorkingError';
}

/** The caller passed something the provider cannot use (bad messages, bad option). */
export class InvalidArgumentError extends ProviderError {
  static override readonly errorName: string = 'InvalidArgumentError';
}

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

/**
 * The upstream answered, but not with what its protocol promises (a page without the token
 * or nonce we scrape, an error object where a delta was expected, a rejected nonce).
 */
export class UnexpectedResponseError extends ProviderError {
  static override readonly errorName: string = 'UnexpectedResponseError';
}
