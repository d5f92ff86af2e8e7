import { ProviderError, type ProviderErrorOptions } from '@g4f/core';

/** One provider's failure inside a fallback attempt. */
export interface ProviderFailure {
  /** The provider's g4f name (`Acytoo`, `RobocodersAPI`). */
  readonly provider: string;
  /** What it threw. */
  readonly error: unknown;
}

/**
 * Every provider of a fallback failed, more than one of them with an error (g4f
 * `RetryProviderError`). The message lists `Name: ErrorClass: message` per provider.
 */
export class RetryProviderError extends ProviderError {
  static override readonly errorName: string = 'RetryProviderError';
  /** Each provider's error, in the order they were tried. */
  readonly errors: readonly ProviderFailure[];

  constructor(errors: readonly ProviderFailure[]) {
    const lines = errors.map(({ provider, error }) => `${provider}: ${describeError(error)}`);
    super(`RetryProvider failed:\n${lines.join('\n')}`, {
      cause: errors[0]?.error,
      isRetryable: errors.some(
        ({ error }) => ProviderError.isInstance(error) && isRetryable(error),
      ),
    });
    this.errors = errors;
  }
}

/** No provider answered with any content and none raised an error (g4f `RetryNoProviderError`). */
export class RetryNoProviderError extends ProviderError {
  static override readonly errorName: string = 'RetryNoProviderError';
}

/**
 * Every provider that could serve the call is cooling down after recent failures. Retry
 * after `retryAfterMs`.
 */
export class ProvidersCoolingDownError extends RetryNoProviderError {
  static override readonly errorName: string = 'ProvidersCoolingDownError';
  /** Milliseconds until the first provider is available again. */
  readonly retryAfterMs: number;
  constructor(message: string, retryAfterMs: number, options: ProviderErrorOptions = {}) {
    super(message, { isRetryable: true, ...options });
    this.retryAfterMs = retryAfterMs;
  }
}

/** An image call produced no image at all (g4f `NoMediaResponseError`). */
export class NoMediaResponseError extends ProviderError {
  static override readonly errorName: string = 'NoMediaResponseError';
}

/** A provider named by the caller is not among those handed to the client (g4f `ProviderNotFoundError`). */
export class ProviderNotFoundError extends ProviderError {
  static override readonly errorName: string = 'ProviderNotFoundError';
}

/** `ErrorClass: message`, as g4f prints a provider's failure. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return `Error: ${String(error)}`;
}

function isRetryable(error: unknown): boolean {
  return (error as { isRetryable?: unknown }).isRetryable === true;
}
