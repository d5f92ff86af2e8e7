import { randomInt } from 'node:crypto';
import {
  type CreateOptions,
  ImageResponse,
  InvalidArgumentError,
  joinToolCalls,
  type Messages,
  ModelNotSupportedError,
  type Provider,
  validateCreateOptions,
} from '@g4f/core';
import { type AnswerEnd, type AnswerPiece, AnswerReader } from './answer.js';
import { NoMediaResponseError, type ProviderFailure, ProviderNotFoundError } from './errors.js';
import { allFailedError, FallbackProvider, IterListProvider } from './fallback.js';
import { type CooldownOptions, type HealthReport, ProviderHealth } from './health.js';
import { DEFAULT_MAX_IMAGE_BYTES, downloadBase64, imageMessage, imageUrls } from './images.js';
import { servedModels } from './served-models.js';
import { ChatCompletionStream, completionUsage } from './stream.js';
import { countPromptTokens } from './tokens.js';
import type {
  ChatCompletion,
  ChatCompletionCreateParams,
  ChatCompletionMessage,
  Image,
  ImageGenerateParams,
  ImagesResponse,
  Model,
  ModelList,
  ProviderInfo,
  ProviderRef,
} from './types.js';

/** Options of {@link Client}. */
export interface ClientOptions {
  /** The providers the client may use, in order of preference. The client imports none itself. */
  providers: readonly Provider[];
  /** Default provider for chat (instance, g4f name or label); otherwise routing by model. */
  provider?: ProviderRef;
  /** Default provider for images; otherwise routing by model among image providers. */
  imageProvider?: ProviderRef;
  /** Proxy URL for every call that names none. */
  proxy?: string;
  /** Per-chunk inactivity timeout in ms for every call that names none. */
  timeout?: number;
  /** Skip providers that failed repeatedly; `true` for the defaults (3 failures in 60 s). */
  cooldown?: CooldownOptions | boolean;
  /** Try the providers that serve a model in random order instead of the order given. */
  shuffle?: boolean;
  /** Largest image `b64_json` downloads, in bytes (default 20 MiB). */
  maxImageBytes?: number;
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function completionId(): string {
  let id = 'chatcmpl-';
  for (let i = 0; i < 28; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}

const seconds = () => Math.floor(Date.now() / 1000);

/** Keys of the create params that the client consumes instead of passing to the provider. */
type Consumed =
  | 'model'
  | 'messages'
  | 'stream'
  | 'stream_options'
  | 'provider'
  | 'max_tokens'
  | 'stop';

/** `client.chat.completions`: one `create` whose result type follows `stream`. */
export class Completions {
  readonly #create: (
    params: ChatCompletionCreateParams,
  ) => Promise<ChatCompletion | ChatCompletionStream>;

  /** @internal Built by {@link Client}. */
  constructor(
    create: (params: ChatCompletionCreateParams) => Promise<ChatCompletion | ChatCompletionStream>,
  ) {
    this.#create = create;
  }

  /**
   * Asks for a chat completion. With `stream: true` it resolves to a
   * {@link ChatCompletionStream} once the first text has arrived (failures before any text
   * reject here); otherwise to the whole {@link ChatCompletion}.
   */
  create(params: ChatCompletionCreateParams & { stream: true }): Promise<ChatCompletionStream>;
  create(params: ChatCompletionCreateParams & { stream?: false }): Promise<ChatCompletion>;
  create(params: ChatCompletionCreateParams): Promise<ChatCompletion | ChatCompletionStream>;
  create(params: ChatCompletionCreateParams): Promise<ChatCompletion | ChatCompletionStream> {
    return this.#create(params);
  }
}

/**
 * The OpenAI-shaped client over any g4f providers (g4f `Client` / `AsyncClient`):
 * `chat.completions.create`, `images.generate`, `models.list`, and `health()`.
 */
export class Client {
  /** `client.chat.completions.create(...)`. */
  readonly chat: { readonly completions: Completions };
  /** `client.images.generate(...)`. */
  readonly images: { generate(params: ImageGenerateParams): Promise<ImagesResponse> };
  /** `client.models.list()`. */
  readonly models: { list(): ModelList };

  /** The providers handed in, in the order given (the server lists them). */
  readonly providers: readonly Provider[];

  private readonly options: ClientOptions;
  private readonly tracker: ProviderHealth;
  private readonly created = seconds();

  constructor(options: ClientOptions) {
    if (!Array.isArray(options.providers)) {
      throw new InvalidArgumentError('providers must be an array of provider instances');
    }
    this.options = options;
    this.providers = [...options.providers];
    const cooldown = options.cooldown === true ? {} : options.cooldown || undefined;
    this.tracker = new ProviderHealth(cooldown);
    this.chat = { completions: new Completions((params) => this.createCompletion(params)) };
    this.images = { generate: (params) => this.generateImages(params) };
    this.models = { list: () => this.listModels() };
  }

  /**
   * Each provider's recent failures and cooldown, in the order the providers were given; the
   * providers inside a fallback handed in follow it.
   */
  health(): HealthReport {
    const names = new Set<string>();
    const visit = (provider: Provider): void => {
      names.add(provider.name);
      if (provider instanceof FallbackProvider) provider.providers.forEach(visit);
    };
    this.providers.forEach(visit);
    return this.tracker.report([...names]);
  }

  private async createCompletion(
    params: ChatCompletionCreateParams,
  ): Promise<ChatCompletion | ChatCompletionStream> {
    const {
      model,
      messages: raw,
      stream,
      stream_options,
      provider: ref,
      max_tokens,
      stop,
      ...rest
    } = params;
    const includeUsage = !stream || stream_options?.include_usage !== false;
    const messages: Messages = typeof raw === 'string' ? [{ role: 'user', content: raw }] : raw;
    validateCreateOptions({
      messages,
      proxy: params.proxy ?? this.options.proxy,
      timeout: params.timeout ?? this.options.timeout,
    });
    if (max_tokens !== undefined && !(Number.isInteger(max_tokens) && max_tokens > 0)) {
      throw new InvalidArgumentError('max_tokens must be a positive integer');
    }
    const provider = this.chatProvider(ref, model);
    let info: ProviderInfo = {
      name: provider.name,
      label: provider.label,
      model: model || provider.defaultModel,
    };
    const call: CreateOptions & Record<string, unknown> = {
      ...(rest as Omit<ChatCompletionCreateParams, Consumed>),
      model: model ?? '',
      messages,
      proxy: params.proxy ?? this.options.proxy,
      timeout: params.timeout ?? this.options.timeout,
      health: this.tracker,
      onProvider: (next: ProviderInfo) => {
        info = next;
      },
    };
    const deltas = new AnswerReader(provider.createAsyncGenerator(call), {
      stop: stop === undefined ? [] : typeof stop === 'string' ? [stop] : stop,
      maxTokens: max_tokens,
      countUsage: includeUsage,
      providerName: provider.name,
      // Fallbacks note their providers' failures themselves; a named provider is noted here.
      onFailure:
        provider instanceof FallbackProvider
          ? undefined
          : (error) => {
              if (!params.signal?.aborted) this.tracker.recordFailure(provider.name, error);
            },
    });
    const id = completionId();
    const created = seconds();
    const promptTokens = countPromptTokens(messages);
    const first = await deltas.next();
    if (stream) {
      return new ChatCompletionStream(
        { id, created, model: info.model, provider: info.name, promptTokens, includeUsage },
        deltas,
        first,
      );
    }
    let content = '';
    let reasoning = '';
    const calls = [];
    let result: IteratorResult<AnswerPiece, AnswerEnd> = first;
    while (!result.done) {
      const piece = result.value;
      if (typeof piece === 'string') content += piece;
      else if (piece.type === 'reasoning') reasoning += piece.text;
      else calls.push(...piece.calls);
      result = await deltas.next();
    }
    const end = result.value;
    const message: ChatCompletionMessage = { role: 'assistant', content, refusal: null };
    if (reasoning !== '') message.reasoning_content = reasoning;
    if (calls.length > 0) message.tool_calls = joinToolCalls(calls);
    return {
      id,
      object: 'chat.completion',
      created,
      model: info.model,
      provider: info.name,
      choices: [
        {
          index: 0,
          message,
          finish_reason: end.finishReason,
          logprobs: null,
        },
      ],
      usage: completionUsage(promptTokens, end),
    };
  }

  private async generateImages(params: ImageGenerateParams): Promise<ImagesResponse> {
    const { prompt, model, provider: ref, response_format, signal, ...rest } = params;
    if (typeof prompt !== 'string' || prompt.trim() === '') {
      throw new InvalidArgumentError('prompt must be a non-empty string');
    }
    const named = ref ?? this.options.imageProvider;
    const candidates = named !== undefined ? [this.lookup(named)] : this.imageProviders(model);
    const failures: ProviderFailure[] = [];
    const cooling: { name: string; until: number }[] = [];
    for (const provider of candidates) {
      signal?.throwIfAborted();
      const until = named === undefined ? this.tracker.coolingDownUntil(provider.name) : null;
      if (until !== null) {
        cooling.push({ name: provider.name, until });
        continue;
      }
      const used = model || provider.imageModels[0] || provider.defaultModel;
      const images: ImageResponse[] = [];
      // g4f's image call: the prompt as a message and as `prompt`, plus the caller's extras.
      const call: CreateOptions & Record<string, unknown> = {
        ...rest,
        model: used,
        messages: imageMessage(prompt),
        prompt,
        signal,
        proxy: params.proxy ?? this.options.proxy,
        timeout: params.timeout ?? this.options.timeout,
      };
      try {
        for await (const chunk of provider.createAsyncGenerator(call)) {
          if (chunk instanceof ImageResponse) images.push(chunk);
        }
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        this.tracker.recordFailure(provider.name, error);
        failures.push({ provider: provider.name, error });
        continue;
      }
      if (images.length === 0) continue;
      const data: Image[] = [];
      for (const { url, alt } of imageUrls(images)) {
        if (response_format === 'b64_json') {
          const b64_json = await downloadBase64(url, {
            maxBytes: this.options.maxImageBytes ?? DEFAULT_MAX_IMAGE_BYTES,
            signal,
            proxy: params.proxy ?? this.options.proxy,
            timeout: params.timeout ?? this.options.timeout,
          });
          data.push({ b64_json, revised_prompt: alt });
        } else data.push({ url, revised_prompt: alt });
      }
      return { created: seconds(), data, model: used, provider: provider.name };
    }
    if (failures.length > 0 || cooling.length > 0) {
      throw allFailedError(failures, cooling, this.tracker.now());
    }
    throw new NoMediaResponseError(
      `No media response from ${candidates.map((p) => p.name).join(', ')}`,
    );
  }

  private listModels(): ModelList {
    const byModel = new Map<string, string[]>();
    for (const provider of this.providers) {
      for (const name of servedModels(provider)) {
        const serving = byModel.get(name) ?? [];
        if (!serving.includes(provider.name)) serving.push(provider.name);
        byModel.set(name, serving);
      }
    }
    const data: Model[] = [...byModel].map(([id, providers]) => ({
      id,
      object: 'model',
      created: this.created,
      owned_by: providers[0]!,
      providers,
    }));
    return { object: 'list', data };
  }

  /** The call's provider, else the client's, else every provider that serves `model`. */
  private chatProvider(ref: ProviderRef | undefined, model: string | undefined): Provider {
    const named = ref ?? this.options.provider;
    if (named !== undefined) return this.lookup(named);
    const serving = model
      ? this.providers.filter((p) => servedModels(p).includes(model))
      : this.providers;
    if (serving.length === 0) throw this.unknownModel(model ?? '');
    return new IterListProvider(serving, {
      shuffle: this.options.shuffle ?? false,
      health: this.tracker,
    });
  }

  private imageProviders(model: string | undefined): Provider[] {
    const serving = model
      ? this.providers.filter((p) => servedModels(p).includes(model))
      : this.providers.filter((p) => p.imageModels.length > 0);
    if (serving.length === 0) {
      if (model) throw this.unknownModel(model);
      throw new NoMediaResponseError('None of the providers handed to the client makes images');
    }
    return serving;
  }

  private unknownModel(model: string): ModelNotSupportedError {
    return new ModelNotSupportedError(
      model,
      'Client',
      this.listModels().data.map((m) => m.id),
    );
  }

  /**
   * A provider instance as is; a string by g4f name, then by label; a string with spaces as
   * an IterListProvider of those names in that order (as g4f does).
   */
  private lookup(ref: ProviderRef): Provider {
    if (typeof ref !== 'string') return ref;
    // A label may itself hold spaces ("API Robocoders AI"), so whole names are looked up first.
    const found =
      this.providers.find((p) => p.name === ref) ?? this.providers.find((p) => p.label === ref);
    if (found) return found;
    const names = ref.trim().split(/\s+/).filter(Boolean);
    if (names.length > 1) {
      return new IterListProvider(
        names.map((name) => this.lookup(name)),
        { shuffle: false, health: this.tracker },
      );
    }
    throw new ProviderNotFoundError(
      `Provider not found: ${ref}. Known: ${this.providers.map((p) => p.name).join(', ')}`,
    );
  }
}

/** Same as `new Client(options)`. */
export function createClient(options: ClientOptions): Client {
  return new Client(options);
}
