import { ProviderError, type ProviderErrorOptions } from './provider-error.js';

/** What an HTTP error knows about the answer that caused it. */
export interface ResponseStatusErrorOptions extends ProviderErrorOptions {
  /** HTTP status code of the answer. */
  status: number;
  /** URL that was requested. */
  url?: string;
  /** Response headers, with cookies and credentials removed. */
  responseHeaders?: Record<string, string>;
  /** The first few hundred characters of the body, never the whole body. */
  bodyExcerpt?: string;
}

/** The upstream answered with a status that is not a success (g4f `ResponseStatusError`). */
export class ResponseStatusError extends ProviderError {
  static override readonly errorName: string = 'ResponseStatusError';

  /** HTTP status code of the answer. */
  readonly status: number;
  /** URL that was requested, when known. */
  readonly url: string | undefined;
  /** Response headers, with cookies and credentials removed. */
  readonly responseHeaders: Record<string, string>;
  /** The start of the response body, for diagnosis. */
  readonly bodyExcerpt: string;

  constructor(message: string, options: ResponseStatusErrorOptions) {
    super(message, {
      ...options,
      isRetryable: options.isRetryable ?? isRetryableStatus(options.status),
    });
    this.status = options.status;
    this.url = options.url;
    this.responseHeaders = options.responseHeaders ?? {};
    this.bodyExcerpt = options.bodyExcerpt ?? '';
  }
}

/** 408, 409, 429 and every 5xx are worth another try; other statuses are not. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}
