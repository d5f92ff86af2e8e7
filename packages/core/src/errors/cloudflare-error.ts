import { ResponseStatusError } from './response-status-error.js';

/** An HTML bot-check page (Cloudflare or similar) came back instead of data. */
export class CloudflareError extends ResponseStatusError {
  static override readonly errorName: string = 'CloudflareError';
}
