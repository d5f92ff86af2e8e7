import { ProviderError } from './provider-error.js';

/**
 * The upstream answered, but not with what its protocol promises (a page without the token
 * or nonce we scrape, an error object where a delta was expected, a rejected nonce).
 */
export class UnexpectedResponseError extends ProviderError {
  static override readonly errorName: string = 'UnexpectedResponseError';
}

/**
 * The upstream answered with success but gave nothing: no content, blank content, an empty
 * body, or an image answer without a URL. g4f ended such a call with no chunk and no error;
 * here it is an error, so a caller (or the client's fallback) can tell it from an answer and
 * try another provider. A subclass of {@link UnexpectedResponseError}: the protocol promised
 * an answer and broke that promise. Not retryable as is.
 */
export class EmptyAnswerError extends UnexpectedResponseError {
  static override readonly errorName: string = 'EmptyAnswerError';
}
