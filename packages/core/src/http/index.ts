export { DEFAULT_CONNECT_TIMEOUT, getDispatcher } from './dispatcher.js';
export {
  DEFAULT_TIMEOUT,
  type HttpRequestOptions,
  type HttpResponse,
  httpRequest,
  toProviderError,
} from './http-request.js';
export {
  errorFromResponse,
  isCloudflarePage,
  isHtml,
  publicHeaders,
  raiseForStatus,
  readExcerpt,
  rejectHtmlAnswer,
} from './raise-for-status.js';
export { parseRetryAfter } from './retry-after.js';
