export {
  DEFAULT_TIMEOUT,
  type HttpRequestOptions,
  type HttpResponse,
  httpRequest,
} from './http-request.js';
export {
  errorFromResponse,
  isAnswerStatus,
  isCloudflarePage,
  isJsonMediaType,
  mediaType,
  publicHeaders,
  raiseForStatus,
  readExcerpt,
  rejectHtmlAnswer,
} from './raise-for-status.js';
export { type RetryOptions, retryWithBackoff } from './retry.js';
export { parseRetryAfter } from './retry-after.js';
export { readTextAnswer } from './text-answer.js';
