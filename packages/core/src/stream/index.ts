export {
  type JsonLineResult,
  type ReadSseJsonOptions,
  readJsonLines,
  readSseJson,
  safeParseJson,
} from './json-lines.js';
export type { LineSplitterOptions } from './line-splitter.js';
export {
  createSseParser,
  parseSseStream,
  type SseEvent,
  type SseParser,
  type SseParserOptions,
} from './sse-parser.js';
export { decodeTextStream, readLines } from './text.js';
export { createUtf8Decoder, type Utf8Decoder } from './utf8-decoder.js';
