export { Client, type ClientOptions, Completions, createClient } from './client.js';
export {
  describeError,
  NoMediaResponseError,
  type ProviderFailure,
  ProviderNotFoundError,
  ProvidersCoolingDownError,
  RetryNoProviderError,
  RetryProviderError,
} from './errors.js';
export {
  allFailedError,
  type FallbackOptions,
  FallbackProvider,
  IterListProvider,
  isContent,
  RetryProvider,
  type RetryProviderOptions,
  RotatedProvider,
} from './fallback.js';
export {
  type CooldownOptions,
  type HealthReport,
  ProviderHealth,
  type ProviderHealthEntry,
} from './health.js';
export { DEFAULT_MAX_IMAGE_BYTES } from './images.js';
export { servedModels } from './served-models.js';
export { ChatCompletionStream } from './stream.js';
export type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParams,
  ChatCompletionDelta,
  ChatCompletionMessage,
  CompletionUsage,
  FallbackCallOptions,
  FinishReasonName,
  Image,
  ImageGenerateParams,
  ImagesResponse,
  Model,
  ModelList,
  ProviderInfo,
  ProviderRef,
} from './types.js';

/** This package's version, stamped at build time. */
export const VERSION: string = __PACKAGE_VERSION__;
