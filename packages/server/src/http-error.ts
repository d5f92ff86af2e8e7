import {
  MissingAuthError,
  ModelNotSupportedError,
  ProviderError,
  RateLimitError,
  RequestTimeoutError,
} from '@g4f/core';

/** OpenAI's error `type` values, the ones the server uses. */
export type ErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'upstream_error'
  | 'server_error';

/** An answer the server gives instead of a result: status, OpenAI-shaped body, extra headers. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly status: number,
    message: string,
    readonly type: ErrorType,
    readonly code: string | null,
    readonly headers: Record<string, string> = {},
    /** g4f name of the provider the error came from, when known. */
    readonly provider?: string,
    /** The request field at fault, for a validation error. */
    readonly param: string | null = null,
  ) {
    super(message);
  }

  /** `{"error":{message,type,code,param}}` as OpenAI sends it, plus g4f's `provider`. */
  toBody(): JsonErrorBody {
    return {
      error: { message: this.message, type: this.type, code: this.code, param: this.param },
      ...(this.provider ? { provider: this.provider } : {}),
    };
  }
}

/** The JSON of an error answer. */
export interface JsonErrorBody {
  error: { message: string; type: ErrorType; code: string | null; param: string | null };
  provider?: string;
}

/** Whether `error` carries g4f's class brand with `name` in its chain (the client's own classes). */
function named(error: unknown, name: string): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const chain = (error as Record<symbol, unknown>)[Symbol.for('g4f.error')];
  return Array.isArray(chain) && chain.includes(name);
}

function retryAfterHeader(ms: number | undefined): Record<string, string> {
  return ms === undefined ? {} : { 'retry-after': String(Math.max(1, Math.ceil(ms / 1000))) };
}

function providerOf(error: unknown, fallback: string | undefined): string | undefined {
  const own = (error as { provider?: unknown }).provider;
  return typeof own === 'string' && own ? own : fallback;
}

/** `ErrorClass: message`, as g4f prints an upstream failure. */
function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : `Error: ${String(error)}`;
}

/** A fallback's failure list, when every provider failed with a rate limit: the shortest wait. */
function allRateLimited(error: unknown): { retryAfterMs: number | undefined } | undefined {
  const errors = (error as { errors?: unknown }).errors;
  if (!Array.isArray(errors) || errors.length === 0) return undefined;
  const limits = errors.map((f) => (f as { error?: unknown }).error);
  if (!limits.every((e) => RateLimitError.isInstance(e))) return undefined;
  const waits = limits
    .map((e) => (e as RateLimitError).retryAfterMs)
    .filter((ms): ms is number => ms !== undefined);
  return { retryAfterMs: waits.length > 0 ? Math.min(...waits) : undefined };
}

/**
 * Maps what the client threw to the status the `openai` SDK turns into the matching error
 * class. `provider` is the provider the request named, used when the error does not say.
 */
export function toHttpError(error: unknown, provider?: string): HttpError {
  if (error instanceof HttpError) return error;
  const from = providerOf(error, provider);
  if (ModelNotSupportedError.isInstance(error)) {
    return new HttpError(404, describe(error), 'not_found_error', 'model_not_found', {}, from);
  }
  if (named(error, 'ProviderNotFoundError')) {
    return new HttpError(404, describe(error), 'not_found_error', 'provider_not_found');
  }
  if (RateLimitError.isInstance(error)) {
    const headers = retryAfterHeader((error as RateLimitError).retryAfterMs);
    return new HttpError(429, describe(error), 'rate_limit_error', 'rate_limited', headers, from);
  }
  const limited = allRateLimited(error);
  if (limited) {
    const headers = retryAfterHeader(limited.retryAfterMs);
    return new HttpError(429, describe(error), 'rate_limit_error', 'rate_limited', headers);
  }
  if (named(error, 'ProvidersCoolingDownError')) {
    const headers = retryAfterHeader((error as { retryAfterMs?: number }).retryAfterMs);
    return new HttpError(503, describe(error), 'upstream_error', 'providers_cooling_down', headers);
  }
  if (RequestTimeoutError.isInstance(error)) {
    return new HttpError(504, describe(error), 'upstream_error', 'upstream_timeout', {}, from);
  }
  if (MissingAuthError.isInstance(error)) {
    return new HttpError(502, describe(error), 'upstream_error', 'upstream_auth', {}, from);
  }
  if (ProviderError.isInstance(error)) {
    const message = from ? `${from}: ${describe(error)}` : describe(error);
    return new HttpError(502, message, 'upstream_error', 'upstream_error', {}, from);
  }
  // Not an error the client meant to throw: a bug. Say so without echoing internals.
  return new HttpError(500, 'Internal server error', 'server_error', 'internal_error');
}
