import { APICallError } from '@ai-sdk/provider';
import { ProviderError, RateLimitError, ResponseStatusError } from '@g4f/core';

/** What an AI SDK error needs to say which call failed. */
export interface FailedCall {
  /** The upstream's URL when the error does not carry one. */
  url: string;
  /** The g4f call (model and messages), kept as the request body values. */
  requestBodyValues: unknown;
}

/**
 * The AI SDK error for a g4f failure: an `APICallError` whose `cause` is the g4f error, so
 * `ResponseStatusError.isInstance(error.cause)` and friends still work. Status, headers, body
 * excerpt and retryability come from the g4f error; a `RateLimitError`'s wait becomes a
 * `retry-after-ms` header, which the AI SDK's own retry honours. The caller's abort reason
 * and errors that are not g4f's (bugs, argument errors of the AI SDK) pass through unchanged.
 */
export function mapG4FError(error: unknown, call: FailedCall, signal?: AbortSignal): unknown {
  if (signal?.aborted) return signal.reason;
  if (!ProviderError.isInstance(error)) return error;
  const g4f = error as ProviderError;
  if (ResponseStatusError.isInstance(g4f)) {
    const status = g4f as ResponseStatusError;
    const responseHeaders = { ...status.responseHeaders };
    if (RateLimitError.isInstance(status)) {
      const wait = (status as RateLimitError).retryAfterMs;
      if (wait !== undefined) responseHeaders['retry-after-ms'] = String(wait);
    }
    return new APICallError({
      message: `${g4f.name}: ${g4f.message}`,
      url: status.url ?? call.url,
      requestBodyValues: call.requestBodyValues,
      statusCode: status.status,
      responseHeaders,
      responseBody: status.bodyExcerpt,
      isRetryable: g4f.isRetryable,
      cause: g4f,
    });
  }
  // Some errors that are not status errors still know the status (MissingAuthError's 401/403).
  const { status, url } = g4f as { status?: unknown; url?: unknown };
  return new APICallError({
    message: `${g4f.name}: ${g4f.message}`,
    url: typeof url === 'string' ? url : call.url,
    requestBodyValues: call.requestBodyValues,
    statusCode: typeof status === 'number' ? status : undefined,
    isRetryable: g4f.isRetryable,
    cause: g4f,
  });
}
