import { InvalidArgumentError } from '../errors/usage-errors.js';

/** Longest timer Node can run; a larger value would fire at once. */
const MAX_TIMEOUT = 2_147_483_647;

/**
 * Throws `InvalidArgumentError` unless `value` is an absolute `http:` or `https:` URL. Checked
 * before anything is sent, so a typo is reported as the caller's mistake, not as a retryable
 * network failure.
 */
export function checkHttpUrl(value: unknown, what: string): void {
  const url = typeof value === 'string' && URL.canParse(value) ? new URL(value) : undefined;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new InvalidArgumentError(
      `${what} must be an absolute http:// or https:// URL, got ${JSON.stringify(value)}`,
    );
  }
}

/**
 * Throws `InvalidArgumentError` unless `value` is a whole or fractional number of
 * milliseconds above 0 that a timer can hold. `0` is refused rather than read as "no limit":
 * a caller who wants no limit leaves the option out (the 120 s default then applies).
 */
export function checkTimeout(value: unknown, what: string): void {
  // NaN and Infinity fail the range check too.
  if (typeof value !== 'number' || !(value > 0 && value <= MAX_TIMEOUT)) {
    throw new InvalidArgumentError(
      `${what} must be a number of milliseconds above 0 and at most ${MAX_TIMEOUT}, got ${String(value)}`,
    );
  }
}

/** Checks the optional `proxy` and `timeout` of settings or of one call. */
export function checkTransport(
  options: { proxy?: unknown; timeout?: unknown },
  owner: string,
): void {
  if (options.proxy !== undefined) checkHttpUrl(options.proxy, `${owner}.proxy`);
  if (options.timeout !== undefined) checkTimeout(options.timeout, `${owner}.timeout`);
}
