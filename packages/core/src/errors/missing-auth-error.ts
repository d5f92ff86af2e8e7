import { ProviderError, type ProviderErrorOptions } from './provider-error.js';

/** Options of {@link MissingAuthError}. */
export interface MissingAuthErrorOptions extends ProviderErrorOptions {
  /** HTTP status that revealed the missing or rejected credentials, if any. */
  status?: number;
  /** URL that was requested, when an answer revealed the problem. */
  url?: string;
  /** Response headers, with cookies and credentials removed. */
  responseHeaders?: Record<string, string>;
  /** The first few hundred characters of the body, never the whole body. */
  bodyExcerpt?: string;
}

/** Credentials are missing, expired or refused (HTTP 401/403). Not retryable as is. */
export class MissingAuthError extends ProviderError {
  static override readonly errorName: string = 'MissingAuthError';
  /** HTTP status that revealed the problem, if any. */
  readonly status: number | undefined;
  /** URL that was requested, when known. */
  readonly url: string | undefined;
  /** Response headers, with cookies and credentials removed. */
  readonly responseHeaders: Record<string, string>;
  /** The start of the response body, for diagnosis. */
  readonly bodyExcerpt: string;
  constructor(message: string, options: MissingAuthErrorOptions = {}) {
    super(message, options);
    this.status = options.status;
    this.url = options.url;
    this.responseHeaders = options.responseHeaders ?? {};
    this.bodyExcerpt = options.bodyExcerpt ?? '';
  }
}
