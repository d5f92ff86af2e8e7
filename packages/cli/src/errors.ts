import {
  NoMediaResponseError,
  ProviderNotFoundError,
  ProvidersCoolingDownError,
  RetryNoProviderError,
  RetryProviderError,
} from '@g4f/client';
import {
  CloudflareError,
  InvalidArgumentError,
  MissingAuthError,
  ModelNotSupportedError,
  NetworkError,
  ProviderError,
  RateLimitError,
  RequestTimeoutError,
  ResponseStatusError,
  StreamParseError,
  UnexpectedResponseError,
} from '@g4f/core';

/** The command finished as asked. */
export const EXIT_OK = 0;
/** An upstream (or the network to it) failed. */
export const EXIT_UPSTREAM = 1;
/** The command line was wrong: unknown option, bad value, unknown provider or model. */
export const EXIT_USAGE = 2;
/** Stopped by Ctrl-C (128 + SIGINT), as shells report it. */
export const EXIT_INTERRUPTED = 130;

/** A mistake on the command line found after parsing (a bad `--base-url`, an unknown name). */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** True for errors the user fixes by changing the command line. */
export function isUsageError(error: unknown): boolean {
  return (
    error instanceof UsageError ||
    InvalidArgumentError.isInstance(error) ||
    ModelNotSupportedError.isInstance(error) ||
    ProviderNotFoundError.isInstance(error)
  );
}

/** The exit code for a failure. */
export function exitCodeOf(error: unknown): number {
  return isUsageError(error) ? EXIT_USAGE : EXIT_UPSTREAM;
}

/** What to try next, by error class; the most specific class is checked first. */
export function hintFor(error: unknown): string | undefined {
  if (error instanceof UsageError) return error.hint;
  if (CloudflareError.isInstance(error)) {
    return 'the upstream asks for a browser check; try --proxy or another provider';
  }
  if (RateLimitError.isInstance(error)) {
    const wait = error.retryAfterMs;
    return wait === undefined
      ? 'the upstream is rate limiting; wait a little or try another provider'
      : `the upstream is rate limiting; retry in ${Math.ceil(wait / 1000)} s or try another provider`;
  }
  if (MissingAuthError.isInstance(error)) {
    return 'this provider needs credentials (cookies or a key); try another provider';
  }
  if (RequestTimeoutError.isInstance(error)) {
    return 'the upstream did not answer in time; raise --timeout or try another provider';
  }
  if (NetworkError.isInstance(error)) {
    return 'the upstream is unreachable; check --base-url and --proxy, or run `g4f check`';
  }
  if (ResponseStatusError.isInstance(error)) {
    return 'the upstream refused the request; run `g4f check` to see which providers answer';
  }
  if (StreamParseError.isInstance(error) || UnexpectedResponseError.isInstance(error)) {
    return 'the upstream answered in a shape this version does not know; try another provider';
  }
  if (ProvidersCoolingDownError.isInstance(error)) {
    return 'every provider failed recently; wait or name one with --provider';
  }
  if (RetryProviderError.isInstance(error) || RetryNoProviderError.isInstance(error)) {
    return 'no provider answered; run `g4f check` to see which ones work today';
  }
  if (NoMediaResponseError.isInstance(error)) {
    return 'no image came back; try another --model or provider (`g4f models`)';
  }
  if (ModelNotSupportedError.isInstance(error)) return 'run `g4f models` to list the models';
  if (ProviderNotFoundError.isInstance(error)) return 'run `g4f providers` to list the providers';
  if (InvalidArgumentError.isInstance(error)) return 'see `g4f <command> --help`';
  return undefined;
}

/** The class name shown for an error. */
export function errorClass(error: unknown): string {
  if (error instanceof Error) return error.name;
  return 'Error';
}

/**
 * One line for stderr: `g4f: ErrorClass: message (hint: …)`. Multi-line messages (a fallback
 * listing each provider) are joined with `; ` so the line stays one line.
 */
export function errorLine(error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error))
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join('; ');
  const hint = hintFor(error);
  return `g4f: ${errorClass(error)}: ${message}${hint ? ` (hint: ${hint})` : ''}`;
}

/** The stack and each `cause` below it, for `--debug`. */
export function debugReport(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 8; depth++) {
    if (current instanceof Error) {
      parts.push(`${depth > 0 ? 'caused by: ' : ''}${current.stack ?? String(current)}`);
      current = current.cause;
    } else {
      parts.push(`${depth > 0 ? 'caused by: ' : ''}${String(current)}`);
      break;
    }
  }
  return parts.join('\n');
}

/** Whether `error` is one of this library's typed errors. */
export function isProviderError(error: unknown): boolean {
  return ProviderError.isInstance(error);
}
