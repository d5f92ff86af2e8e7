export {
  createOllama,
  Ollama,
  type OllamaOptions,
  type OllamaSettings,
  ollama,
  ollamaServerFromEnv,
} from './ollama.js';
export {
  createOpenaiCompatible,
  OpenaiCompatible,
  type OpenaiCompatibleOptions,
  type OpenaiCompatibleSettings,
  type RemoteModel,
} from './openai-compatible.js';

/** This package's version, stamped at build time. */
export const VERSION: string = __PACKAGE_VERSION__;
