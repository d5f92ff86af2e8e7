import { ProviderError, type ProviderErrorOptions } from '../errors/provider-error.js';

/** What went wrong with a credentials file. */
export type CredentialsStoreErrorKind = 'unreadable' | 'unwritable' | 'lock-timeout';

/** Options of {@link CredentialsStoreError}. */
export interface CredentialsStoreErrorOptions extends ProviderErrorOptions {
  kind: CredentialsStoreErrorKind;
  /** The credentials file. */
  path: string;
}

/**
 * A credentials file could not be read or written (a folder in its place, no permission, a
 * full disk), or another writer held its lock for longer than `lockTimeout`. None of the
 * upstream-facing errors fits a local file, and callers need the path to fix it. Only a lock
 * timeout is retryable: the other writer may be done by then.
 */
export class CredentialsStoreError extends ProviderError {
  static override readonly errorName: string = 'CredentialsStoreError';
  readonly kind: CredentialsStoreErrorKind;
  /** The credentials file. */
  readonly path: string;
  constructor(message: string, options: CredentialsStoreErrorOptions) {
    super(message, { isRetryable: options.kind === 'lock-timeout', ...options });
    this.kind = options.kind;
    this.path = options.path;
  }
}
