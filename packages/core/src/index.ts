export {
  type Chunk,
  collectChunks,
  FinishReason,
  ImageResponse,
  joinText,
} from './chunks.js';
export * from './credentials/index.js';
export { delay } from './delay.js';
export * from './errors/index.js';
export * from './http/index.js';
export type { Message, Messages, Role } from './messages.js';
export {
  type FormatPromptOptions,
  formatPrompt,
  getLastUserMessage,
  getSystemPrompt,
} from './prompt.js';
export * from './provider/index.js';
export * from './stream/index.js';
export { VERSION } from './version.js';
