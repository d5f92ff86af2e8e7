import { ProviderError } from './provider-error.js';

/**
 * The upstream answered, but not with what its protocol promises (a page without the token
 * or nonce we scrape, an error object where a delta was expected, a rejected nonce).
 */
export class UnexpectedResponseError extends ProviderError {
  static override readonly errorName: string = 'UnexpectedResponseError';
}
