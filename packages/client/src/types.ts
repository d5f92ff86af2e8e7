import type { CreateOptions, Messages, Provider, ToolCall, ToolCallDelta } from '@g4f/core';
import type { ProviderHealth } from './health.js';

/**
 * Why an answer ended: the provider finished or a stop string cut it (`stop`), `max_tokens`
 * or the upstream's limit did (`length`), or the model called tools (`tool_calls`).
 */
export type FinishReasonName = 'stop' | 'length' | 'tool_calls';

/**
 * Token counts of one call: the upstream's own when its provider reported them (an
 * OpenAI-compatible server does), else an estimate with the o200k tokenizer.
 */
export interface CompletionUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
}

/** The assistant's answer in a {@link ChatCompletion}. */
export interface ChatCompletionMessage {
  role: 'assistant';
  content: string;
  refusal: null;
  /** The model's reasoning, kept apart from `content`, when the provider gave any. */
  reasoning_content?: string;
  /** The tools the model called (then `finish_reason` is `tool_calls`). */
  tool_calls?: ToolCall[];
}

/** What one streamed chunk adds to the answer. */
export interface ChatCompletionDelta {
  role: 'assistant';
  content: string;
  /** A piece of the model's reasoning, kept apart from `content`. */
  reasoning_content?: string;
  /** Pieces of tool calls: join them by `index` (`joinToolCalls` in `@g4f/core`). */
  tool_calls?: ToolCallDelta[];
}

/** `chat.completion`: a whole answer, field for field as OpenAI shapes it, plus `provider`. */
export interface ChatCompletion {
  /** `chatcmpl-` and 28 letters and digits. */
  id: string;
  object: 'chat.completion';
  /** Unix time in seconds. */
  created: number;
  /** The model that answered, as the provider resolved it. */
  model: string;
  /** g4f name of the provider that answered. */
  provider: string;
  choices: [
    {
      index: 0;
      message: ChatCompletionMessage;
      finish_reason: FinishReasonName;
      logprobs: null;
    },
  ];
  usage: CompletionUsage;
}

/** `chat.completion.chunk`: one piece of a streamed answer. */
export interface ChatCompletionChunk {
  /** The same for every chunk of one answer. */
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  provider: string;
  choices: [
    {
      index: 0;
      delta: ChatCompletionDelta;
      /** `null` until the last chunk. */
      finish_reason: FinishReasonName | null;
      logprobs: null;
    },
  ];
  /** `null` until the last chunk, which carries the counts. */
  usage: CompletionUsage | null;
}

/** A provider, or its g4f name or label; a string with spaces names several, tried in order. */
export type ProviderRef = Provider | string;

/** What `client.chat.completions.create` accepts. Unknown keys go to the provider as they are. */
export interface ChatCompletionCreateParams {
  /** A model or alias; empty or missing lets each provider use its default. */
  model?: string;
  /** The conversation, or a plain string as one user message. */
  messages: Messages | string;
  /** Stream chunks instead of returning the whole answer. */
  stream?: boolean;
  /**
   * As OpenAI's: `include_usage: false` leaves `usage` null on the last streamed chunk and
   * skips counting the answer's tokens. Default: usage included (as g4f does).
   */
  stream_options?: { include_usage?: boolean };
  /** Call this provider (or these, space-separated) instead of routing by model. */
  provider?: ProviderRef;
  /** OpenAI tool definitions, passed to the provider (an OpenAI-compatible one sends them on). */
  tools?: readonly unknown[];
  /** Which tool to call, passed to the provider like `tools`. */
  tool_choice?: unknown;
  /** Sampling temperature, passed to the provider. */
  temperature?: number;
  /** End the answer after this many tokens (counted with the tokenizer), finish reason `length`. */
  max_tokens?: number;
  /** Cut the answer before the first of these strings, finish reason `stop`. */
  stop?: string | readonly string[];
  /** Ends the call and closes the upstream socket; the call then fails with `signal.reason`. */
  signal?: AbortSignal;
  /** Proxy URL for this call (default: the client's). */
  proxy?: string;
  /** Per-chunk inactivity timeout in ms (default: the client's). */
  timeout?: number;
  /** Provider-specific options. */
  [providerOption: string]: unknown;
}

/** One image of an {@link ImagesResponse}. */
export interface Image {
  url?: string;
  b64_json?: string;
  /** The provider's alt text for the image. */
  revised_prompt?: string;
}

/** What `client.images.generate` returns. */
export interface ImagesResponse {
  created: number;
  data: Image[];
  model: string;
  provider: string;
}

/** What `client.images.generate` accepts. Unknown keys go to the provider as they are. */
export interface ImageGenerateParams {
  prompt: string;
  model?: string;
  provider?: ProviderRef;
  /** `url` (default) keeps the provider's URLs; `b64_json` downloads each image. */
  response_format?: 'url' | 'b64_json';
  n?: number;
  size?: string;
  signal?: AbortSignal;
  proxy?: string;
  timeout?: number;
  [providerOption: string]: unknown;
}

/** One entry of `client.models.list()`. */
export interface Model {
  id: string;
  object: 'model';
  created: number;
  /** The first provider that serves it. */
  owned_by: string;
  /** g4f names of every provider that serves it, in the client's order. */
  providers: string[];
}

/** `client.models.list()`. */
export interface ModelList {
  object: 'list';
  data: Model[];
}

/** Options a fallback provider passes on; `onProvider` learns which provider is being tried. */
export interface FallbackCallOptions extends CreateOptions {
  /** Called before each attempt; the last call names the provider that answered. */
  onProvider?: (info: ProviderInfo) => void;
  /**
   * Failure record to use when the fallback was built without one: the client passes its
   * own, so fallbacks you hand it feed `client.health()` and honour its cooldowns.
   */
  health?: ProviderHealth;
  [providerOption: string]: unknown;
}

/** Which provider a fallback is trying, and with which model (g4f `ProviderInfo`). */
export interface ProviderInfo {
  name: string;
  label: string;
  model: string;
}
