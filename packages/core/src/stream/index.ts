export {
  type JsonLineResult,
  type ReadSseJsonOptions,
  readJsonLines,
  readSseJson,
  safeParseJson,
} from './json-lines.js';
export { LineSplitter, type LineSplitterOptions } from './line-splitter.js';
export {
  createSseParser,
  DEFAULT_MAX_BUFFER_SIZE,
  parseSseStream,
  type SseEvent,
  type SseParser,
  type SseParserOptions,
} from './sse-parser.js';
export { decodeTextStream, QueueingLineSplitter, readLines } from './text.js';
export { createUtf8Decoder, type Utf8Decoder } from './utf8-decoder.js';
