export { CloudflareError } from './cloudflare-error.js';
export { MissingAuthError, type MissingAuthErrorOptions } from './missing-auth-error.js';
export { ModelNotSupportedError } from './model-not-supported-error.js';
export {
  ProviderError,
  type ProviderErrorClass,
  type ProviderErrorOptions,
} from './provider-error.js';
export { RateLimitError, type RateLimitErrorOptions } from './rate-limit-error.js';
export {
  isRetryableStatus,
  ResponseStatusError,
  type ResponseStatusErrorOptions,
} from './response-status-error.js';
export {
  StreamParseError,
  type StreamParseErrorKind,
  type StreamParseErrorOptions,
} from './stream-parse-error.js';
export {
  NetworkError,
  RequestTimeoutError,
  type RequestTimeoutErrorOptions,
} from './transport-errors.js';
export { EmptyAnswerError, UnexpectedResponseError } from './unexpected-response-error.js';
export {
  InvalidArgumentError,
  MissingRequirementsError,
  ProviderNotWorkingError,
} from './usage-errors.js';
