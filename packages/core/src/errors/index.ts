export { CloudflareError } from './cloudflare-error.js';
export { ModelNotSupportedError } from './model-not-supported-error.js';
export { ProviderError, type ProviderErrorOptions } from './provider-error.js';
export { RateLimitError, type RateLimitErrorOptions } from './rate-limit-error.js';
export {
  isRetryableStatus,
  ResponseStatusError,
  type ResponseStatusErrorOptions,
} from './response-status-error.js';
export {
  InvalidArgumentError,
  MissingAuthError,
  type MissingAuthErrorOptions,
  MissingRequirementsError,
  NetworkError,
  ProviderNotWorkingError,
  RequestTimeoutError,
  type RequestTimeoutErrorOptions,
  UnexpectedResponseError,
} from './simple-errors.js';
export {
  StreamParseError,
  type StreamParseErrorKind,
  type StreamParseErrorOptions,
} from './stream-parse-error.js';
