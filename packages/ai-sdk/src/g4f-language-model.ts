import type {
  JSONObject,
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3FinishReason,
  LanguageModelV3GenerateResult,
  LanguageModelV3StreamPart,
  LanguageModelV3StreamResult,
  LanguageModelV3Usage,
  SharedV3Warning,
} from '@ai-sdk/provider';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParams,
  ChatCompletionStream,
  CompletionUsage,
} from '@g4f/client';
import { ProviderError } from '@g4f/core';
import { checkSettings, setsHeaders, unsupportedSetting } from './call-settings.js';
import { convertToG4FMessages } from './convert-to-g4f-messages.js';
import type { G4FModelConfig } from './g4f-model-config.js';
import { mapG4FError } from './map-g4f-error.js';

/** The g4f call of one AI SDK call, and the warnings found while building it. */
interface PreparedCall {
  params: ChatCompletionCreateParams;
  warnings: SharedV3Warning[];
}

const NO_USAGE: LanguageModelV3Usage = {
  inputTokens: {
    total: undefined,
    noCache: undefined,
    cacheRead: undefined,
    cacheWrite: undefined,
  },
  outputTokens: { total: undefined, text: undefined, reasoning: undefined },
};

/** The client's token estimate in the AI SDK's shape; `raw` keeps the client's own object. */
function mapUsage(usage: CompletionUsage | null): LanguageModelV3Usage {
  if (!usage) return NO_USAGE;
  return {
    inputTokens: {
      total: usage.prompt_tokens,
      noCache: usage.prompt_tokens,
      cacheRead: undefined,
      cacheWrite: undefined,
    },
    outputTokens: {
      total: usage.completion_tokens,
      text: usage.completion_tokens,
      reasoning: undefined,
    },
    raw: { ...usage } as unknown as JSONObject,
  };
}

function mapFinishReason(reason: string | null): LanguageModelV3FinishReason {
  return {
    unified: reason === 'length' ? 'length' : 'stop',
    raw: reason ?? undefined,
  };
}

/** Keys of the g4f call that this adapter sets; provider options cannot override them. */
const RESERVED = new Set(['model', 'messages', 'stream', 'stream_options', 'signal']);

/**
 * A g4f provider (or the client's routing across several) as an AI SDK `LanguageModelV3`.
 * Every call goes through `@g4f/client`, which applies stop sequences and the token limit,
 * counts usage and falls back across providers.
 */
export class G4FLanguageModel implements LanguageModelV3 {
  readonly specificationVersion = 'v3' as const;
  readonly provider = 'g4f.chat';
  /** The model asked for; empty means each provider's default. */
  readonly modelId: string;
  /** g4f providers take no URLs: every file part is refused instead of downloaded. */
  readonly supportedUrls: Record<string, RegExp[]> = {};

  // TypeScript-private, not `#config`: ai 7 wraps models in a Proxy, and `#` fields cannot
  // be read through one (found by the ai 7 smoke test).
  private readonly config: G4FModelConfig;

  /** @internal Built by `createG4F`. */
  constructor(modelId: string, config: G4FModelConfig) {
    this.modelId = modelId;
    this.config = config;
  }

  private prepare(options: LanguageModelV3CallOptions, stream: boolean): PreparedCall {
    const { messages, warnings } = convertToG4FMessages(options.prompt);
    const g4fOptions: Record<string, unknown> = { ...options.providerOptions?.g4f };
    for (const key of RESERVED) {
      if (key in g4fOptions) {
        warnings.push({
          type: 'other',
          message: `providerOptions.g4f.${key} is set by the AI SDK call and was ignored`,
        });
        delete g4fOptions[key];
      }
    }
    const named = typeof g4fOptions.provider === 'string' ? g4fOptions.provider : undefined;
    const candidates = this.config.chatCandidates(this.modelId, named);
    const checked = checkSettings(
      candidates,
      { temperature: options.temperature, seed: options.seed },
      this.config.settingsSent,
    );
    warnings.push(...checked.warnings);
    const sampling = { topP: options.topP, topK: options.topK } as const;
    for (const [feature, value] of Object.entries(sampling)) {
      if (value !== undefined) warnings.push(unsupportedSetting(feature));
    }
    if (options.presencePenalty !== undefined) warnings.push(unsupportedSetting('presencePenalty'));
    if (options.frequencyPenalty !== undefined) {
      warnings.push(unsupportedSetting('frequencyPenalty'));
    }
    if (options.responseFormat?.type === 'json') {
      warnings.push(
        unsupportedSetting('responseFormat', 'g4f providers answer in plain text; no JSON mode'),
      );
    }
    if (options.tools !== undefined && options.tools.length > 0) {
      warnings.push(unsupportedSetting('tools', 'g4f providers make no tool calls'));
    }
    if (options.toolChoice !== undefined) warnings.push(unsupportedSetting('toolChoice'));
    if (setsHeaders(options.headers)) {
      warnings.push(
        unsupportedSetting('headers', 'set headers in the provider instance settings instead'),
      );
    }
    const params: ChatCompletionCreateParams = {
      ...g4fOptions,
      ...checked.options,
      model: this.modelId,
      messages,
      stream,
      signal: options.abortSignal,
    };
    if (options.maxOutputTokens !== undefined) params.max_tokens = options.maxOutputTokens;
    if (options.stopSequences !== undefined && options.stopSequences.length > 0) {
      params.stop = options.stopSequences;
    }
    return { params, warnings };
  }

  private failed(error: unknown, params: ChatCompletionCreateParams): unknown {
    return mapG4FError(
      error,
      {
        url: this.config.url(params.provider as string | undefined),
        requestBodyValues: { model: params.model, messages: params.messages },
      },
      params.signal,
    );
  }

  /** The whole answer in one result, collected by the client. */
  async doGenerate(options: LanguageModelV3CallOptions): Promise<LanguageModelV3GenerateResult> {
    const { params, warnings } = this.prepare(options, false);
    let completion: ChatCompletion;
    try {
      completion = await this.config.client.chat.completions.create({ ...params, stream: false });
    } catch (error) {
      throw this.failed(error, params);
    }
    const choice = completion.choices[0];
    return {
      content: [{ type: 'text', text: choice.message.content }],
      finishReason: mapFinishReason(choice.finish_reason),
      usage: mapUsage(completion.usage),
      providerMetadata: { g4f: { provider: completion.provider, usageIsEstimate: true } },
      request: { body: { model: params.model, messages: params.messages } },
      response: {
        id: completion.id,
        timestamp: new Date(completion.created * 1000),
        modelId: completion.model,
      },
      warnings,
    };
  }

  /**
   * Streams the answer: `stream-start` with the warnings, `response-metadata`, one text block
   * (`text-start`, `text-delta`s, `text-end`) and `finish`. A g4f failure becomes an `error`
   * part (an `APICallError` with the g4f error as `cause`) followed by a `finish` with reason
   * `error`; aborting `abortSignal` errors the stream with its reason and closes the upstream
   * socket, as does cancelling the stream.
   */
  async doStream(options: LanguageModelV3CallOptions): Promise<LanguageModelV3StreamResult> {
    const { params, warnings } = this.prepare(options, true);
    // Cancelling the stream aborts this one, which closes the upstream socket at once, even
    // while a read is waiting on a silent upstream (returning the iterator would wait for it).
    const cancel = new AbortController();
    const signal = options.abortSignal
      ? AbortSignal.any([options.abortSignal, cancel.signal])
      : cancel.signal;
    params.signal = signal;
    const textId = 'text-0';
    let completion: ChatCompletionStream | undefined;
    let chunks: AsyncIterator<ChatCompletionChunk> | undefined;
    let cancelled = false;
    let textOpen = false;
    let provider: string | undefined;
    const includeRaw = options.includeRawChunks === true;

    const end = (
      controller: ReadableStreamDefaultController<LanguageModelV3StreamPart>,
      finishReason: LanguageModelV3FinishReason,
      usage: LanguageModelV3Usage,
    ) => {
      if (textOpen) controller.enqueue({ type: 'text-end', id: textId });
      textOpen = false;
      controller.enqueue({
        type: 'finish',
        finishReason,
        usage,
        providerMetadata: { g4f: { ...(provider ? { provider } : {}), usageIsEstimate: true } },
      });
      controller.close();
    };
    const fail = (
      controller: ReadableStreamDefaultController<LanguageModelV3StreamPart>,
      error: unknown,
    ) => {
      if (cancelled) return;
      // The caller's abort reason wins and ends the stream itself, as a cut fetch body would.
      if (signal?.aborted) {
        controller.error(signal.reason);
        return;
      }
      controller.enqueue({ type: 'error', error: this.failed(error, params) });
      end(controller, { unified: 'error', raw: undefined }, NO_USAGE);
    };

    const stream = new ReadableStream<LanguageModelV3StreamPart>({
      start: (controller) => {
        controller.enqueue({ type: 'stream-start', warnings });
      },
      pull: async (controller) => {
        if (!chunks) {
          try {
            completion = await this.config.client.chat.completions.create({
              ...params,
              stream: true,
            });
          } catch (error) {
            fail(controller, error);
            return;
          }
          if (cancelled) {
            await completion.close();
            return;
          }
          provider = completion.provider;
          chunks = completion[Symbol.asyncIterator]();
          controller.enqueue({
            type: 'response-metadata',
            id: completion.id,
            timestamp: new Date(completion.created * 1000),
            modelId: completion.model,
          });
          controller.enqueue({ type: 'text-start', id: textId });
          textOpen = true;
        }
        const source = chunks;
        let result: IteratorResult<ChatCompletionChunk>;
        try {
          result = await source.next();
        } catch (error) {
          fail(controller, error);
          return;
        }
        if (cancelled) return;
        if (result.done) {
          // The client always sends a last chunk with the finish reason; ending without one
          // would be a silent cut.
          fail(controller, new ProviderError('The g4f stream ended without a finish reason'));
          return;
        }
        const chunk = result.value;
        if (includeRaw) controller.enqueue({ type: 'raw', rawValue: chunk });
        const choice = chunk.choices[0];
        if (choice.delta.content !== '') {
          controller.enqueue({ type: 'text-delta', id: textId, delta: choice.delta.content });
        }
        if (choice.finish_reason !== null) {
          await source.return?.();
          end(controller, mapFinishReason(choice.finish_reason), mapUsage(chunk.usage));
        }
      },
      cancel: async (reason) => {
        cancelled = true;
        cancel.abort(reason);
        await chunks?.return?.();
      },
    });
    return { stream, request: { body: { model: params.model, messages: params.messages } } };
  }
}
