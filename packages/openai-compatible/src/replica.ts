export {
  createOllamaReplica,
  OLLAMA_CHAT_ROUTE,
  OLLAMA_TAGS_ROUTE,
  type OllamaReplica,
  type OllamaReplicaState,
} from './ollama-replica.js';
export {
  CHAT_ROUTE,
  createOpenaiCompatibleReplica,
  IMAGES_ROUTE,
  MODELS_ROUTE,
  type OpenaiCompatibleReplica,
  type OpenaiCompatibleReplicaState,
  PIXEL_PNG_BASE64,
  type StreamEnd,
} from './openai-compatible-replica.js';
