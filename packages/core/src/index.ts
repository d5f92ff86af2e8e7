export {
  type Chunk,
  collectChunks,
  FinishReason,
  ImageResponse,
  joinText,
  joinToolCalls,
  Reasoning,
  type ToolCallDelta,
  ToolCalls,
  Usage,
} from './chunks.js';
export * from './credentials/index.js';
export { delay } from './delay.js';
export * from './errors/index.js';
export {
  errorFromResponse,
  type HttpRequestOptions,
  type HttpResponse,
  httpRequest,
  isAnswerStatus,
  isCloudflarePage,
  isJsonMediaType,
  mediaType,
  parseRetryAfter,
  publicHeaders,
  type RetryOptions,
  raiseForStatus,
  readExcerpt,
  readTextAnswer,
  rejectHtmlAnswer,
  retryWithBackoff,
} from './http/index.js';
export type { Message, Messages, Role, ToolCall } from './messages.js';
export {
  type FormatPromptOptions,
  formatPrompt,
  getLastUserMessage,
  getSystemPrompt,
} from './prompt.js';
export * from './provider/index.js';
// Listed one by one: the line splitters and buffer defaults are internals of the parsers.
export {
  createSseParser,
  createUtf8Decoder,
  decodeTextStream,
  type JsonLineResult,
  type LineSplitterOptions,
  parseSseStream,
  type ReadSseJsonOptions,
  readJsonLines,
  readLines,
  readSseJson,
  type SseEvent,
  type SseParser,
  type SseParserOptions,
  safeParseJson,
  type Utf8Decoder,
} from './stream/index.js';

/** The version of `@g4f/core`, stamped at build time. */
export const VERSION: string = __PACKAGE_VERSION__;
