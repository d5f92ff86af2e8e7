import {
  BaseProvider,
  type CallTransport,
  type Chunk,
  type CreateOptions,
  createSseParser,
  FinishReason,
  type HttpResponse,
  ImageResponse,
  InvalidArgumentError,
  isJsonMediaType,
  type Messages,
  MissingAuthError,
  mediaType,
  NetworkError,
  type ProviderSettings,
  Reasoning,
  raiseForStatus,
  readExcerpt,
  rejectHtmlAnswer,
  StreamParseError,
  type ToolCallDelta,
  ToolCalls,
  UnexpectedResponseError,
  Usage,
  validateCreateOptions,
} from '@g4f/core';

/** A model as `GET /models` lists it. */
export interface RemoteModel {
  id: string;
  /** An image model: `image: true`, `type: "image"` or `supports_images` in the listing. */
  image: boolean;
  /** Takes images as input: `vision: true` in the listing. */
  vision: boolean;
}

/** Settings of an {@link OpenaiCompatible} instance. */
export interface OpenaiCompatibleSettings extends ProviderSettings {
  /** The API root, e.g. `http://127.0.0.1:11434/v1`; `/chat/completions` and `/models` go under it. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <apiKey>`; nothing is sent without it. */
  apiKey?: string;
  /** Path of the chat route under `baseUrl` (default `/chat/completions`). */
  apiEndpoint?: string;
  /** g4f name the client looks the provider up by (default `OpenaiTemplate`). */
  name?: string;
  /** Human-readable name (default `OpenAI-compatible API`). */
  label?: string;
  /** Model used when a call names none; when unset and `models` is set, its first entry. */
  defaultModel?: string;
  /** Chat models this instance serves; empty lets any name through to the server. */
  models?: readonly string[];
  /** Image models: calls with these go to `/images/generations`. */
  imageModels?: readonly string[];
  /** Alias to model name pairs resolved before sending. */
  modelAliases?: Readonly<Record<string, string>>;
  /** What {@link OpenaiCompatible.getModels} gives when `GET /models` fails. */
  fallbackModels?: readonly string[];
  /** Refuse calls without an `apiKey` before sending anything (g4f `needs_auth`). */
  needsAuth?: boolean;
  /** Whether the upstream answers today (default true: the server is yours). */
  working?: boolean;
}

/** Options of one call. Only the fields below are sent; other keys stay local. */
export interface OpenaiCompatibleOptions extends CreateOptions {
  /** Replaces the settings' key for this call. */
  apiKey?: string;
  /** Ask for a streamed answer (default true). */
  stream?: boolean;
  temperature?: number;
  max_tokens?: number;
  max_completion_tokens?: number;
  top_p?: number;
  stop?: string | readonly string[];
  /** Sent as `user`. */
  user?: string;
  /** OpenAI tool definitions, passed through unchanged. */
  tools?: readonly unknown[];
  tool_choice?: unknown;
  parallel_tool_calls?: boolean;
  reasoning_effort?: string;
  response_format?: unknown;
  /** Default `{ include_usage: true }` when streaming, as g4f sends. */
  stream_options?: { include_usage?: boolean };
  /** More body fields, merged last (g4f `extra_body`). */
  extra_body?: Readonly<Record<string, unknown>>;
  /** For image models: the prompt (default: the last user message). */
  prompt?: string;
  /** For image models: sent as `width`. */
  width?: number;
  /** For image models: sent as `height`. */
  height?: number;
  /** For image models: sent as `size` (`"1024x1024"`) instead of width and height. */
  size?: string;
}

/** Fields a caller may pass through to the chat body, in the order g4f sends them. */
const PASS_THROUGH = [
  'temperature',
  'max_tokens',
  'top_p',
  'stop',
  'user',
  'tools',
  'parallel_tool_calls',
  'tool_choice',
  'reasoning_effort',
  'response_format',
  'max_completion_tokens',
] as const;

interface OpenaiErrorBody {
  message?: unknown;
  type?: unknown;
  code?: unknown;
}

interface ChatDelta {
  content?: unknown;
  reasoning_content?: unknown;
  reasoning?: unknown;
  tool_calls?: unknown;
}

interface ChatChoice {
  delta?: ChatDelta;
  message?: ChatDelta;
  finish_reason?: unknown;
}

interface ChatEvent {
  error?: unknown;
  choices?: ChatChoice[];
  usage?: { prompt_tokens?: unknown; completion_tokens?: unknown; total_tokens?: unknown } | null;
}

/** The text of an `error` field: its `message`, else the value itself. */
function errorText(error: unknown): string {
  if (typeof error === 'string') return error;
  if (typeof error === 'object' && error !== null) {
    const { message } = error as OpenaiErrorBody;
    if (typeof message === 'string') return message;
  }
  return JSON.stringify(error);
}

function usageOf(usage: ChatEvent['usage']): Usage | undefined {
  if (!usage || typeof usage.total_tokens !== 'number') return undefined;
  const prompt = typeof usage.prompt_tokens === 'number' ? usage.prompt_tokens : 0;
  const completion = typeof usage.completion_tokens === 'number' ? usage.completion_tokens : 0;
  return new Usage(prompt, completion, usage.total_tokens);
}

function reasoningOf(delta: ChatDelta): string | undefined {
  const text = delta.reasoning_content ?? delta.reasoning;
  return typeof text === 'string' && text !== '' ? text : undefined;
}

/** Tool calls of a delta or message; whole calls of a JSON answer get their list index. */
function toolCallsOf(value: unknown): ToolCalls | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  return new ToolCalls(
    value.map((call: ToolCallDelta, i) => ({
      ...call,
      index: typeof call.index === 'number' ? call.index : i,
    })),
  );
}

/** The last user message, the image prompt when the call gives none. */
function lastUserText(messages: Messages): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    if (messages[i]!.role === 'user') return messages[i]!.content;
  }
  return messages.at(-1)?.content ?? '';
}

/**
 * Any server that speaks OpenAI's `/v1/chat/completions` (g4f's `OpenaiTemplate`): Ollama,
 * LM Studio, llama.cpp's server, vLLM, hosted APIs and `g4f serve` itself. Streams text,
 * reasoning, tool calls, usage and the finish reason as typed chunks; lists the server's
 * models from `GET /models`; makes images through `/images/generations`.
 */
export class OpenaiCompatible extends BaseProvider<
  OpenaiCompatibleOptions,
  OpenaiCompatibleSettings
> {
  readonly name: string;
  readonly label: string;
  readonly url: string;
  override readonly working: boolean;
  override readonly needsAuth: boolean;
  override readonly supportsSystemMessage = true;
  override readonly supportsMessageHistory = true;
  override readonly defaultModel: string;
  override readonly models: readonly string[];
  override readonly imageModels: readonly string[];
  override readonly modelAliases: Readonly<Record<string, string>>;
  /** Path of the OpenAI-compatible routes under {@link baseUrl}; a preset may put them lower. */
  protected readonly apiPrefix: string = '';
  #listing: Promise<readonly RemoteModel[]> | undefined;

  /**
   * Checks the settings (a `baseUrl` is required); never touches the network. `preset` holds
   * a subclass's metadata, which the settings override.
   */
  constructor(settings: OpenaiCompatibleSettings, preset: Partial<OpenaiCompatibleSettings> = {}) {
    super(settings);
    const merged = { ...preset, ...dropUndefined(settings) };
    if (typeof merged.baseUrl !== 'string') {
      throw new InvalidArgumentError(
        'settings.baseUrl is required: the API root, e.g. http://127.0.0.1:11434/v1',
      );
    }
    this.name = merged.name ?? 'OpenaiTemplate';
    this.label = merged.label ?? 'OpenAI-compatible API';
    this.url = merged.baseUrl;
    this.working = merged.working ?? true;
    this.needsAuth = merged.needsAuth ?? false;
    this.models = [...(merged.models ?? [])];
    this.defaultModel = merged.defaultModel ?? this.models[0] ?? '';
    this.imageModels = [...(merged.imageModels ?? [])];
    this.modelAliases = { ...merged.modelAliases };
  }

  /**
   * The server's models from `GET {baseUrl}/models` (a list, `{data}` or `{models}`; ids from
   * `id` or `name`), cached for the life of the instance once fetched. When the request fails,
   * `fallbackModels` if set, else the typed error (nothing cached, so the next call asks again).
   */
  async listModels(call: CallTransport = {}): Promise<readonly RemoteModel[]> {
    this.#listing ??= this.fetchModels(call).catch((error: unknown) => {
      this.#listing = undefined;
      const fallback = this.settings.fallbackModels;
      if (fallback && !call.signal?.aborted) {
        return fallback.map((id) => ({ id, image: false, vision: false }));
      }
      throw error;
    });
    return this.#listing;
  }

  /** The ids of {@link listModels}: g4f's `get_models()`. */
  async getModels(call: CallTransport = {}): Promise<string[]> {
    return (await this.listModels(call)).map((m) => m.id);
  }

  /** The request headers g4f sends: JSON in, SSE or JSON out, a bearer key when set. */
  protected headers(stream: boolean, apiKey: string | undefined): Record<string, string> {
    return {
      accept: stream ? 'text/event-stream' : 'application/json',
      'content-type': 'application/json',
      ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
    };
  }

  private async fetchModels(call: CallTransport): Promise<readonly RemoteModel[]> {
    const response = await this.request(
      `${this.apiPrefix}/models`,
      { headers: this.headers(false, this.settings.apiKey) },
      call,
    );
    await raiseForStatus(response);
    const body = (await response.json()) as unknown;
    const list = Array.isArray(body)
      ? body
      : ((body as { data?: unknown; models?: unknown } | null)?.data ??
        (body as { models?: unknown } | null)?.models);
    if (!Array.isArray(list)) {
      throw new UnexpectedResponseError(
        `${this.label}: GET /models gave no list: ${JSON.stringify(body).slice(0, 200)}`,
      );
    }
    return list.flatMap((entry: unknown): RemoteModel[] => {
      if (typeof entry === 'string') return [{ id: entry, image: false, vision: false }];
      if (typeof entry !== 'object' || entry === null) return [];
      const e = entry as Record<string, unknown>;
      const id = e.id ?? e.name;
      if (typeof id !== 'string') return [];
      const image = e.image === true || e.type === 'image' || Boolean(e.supports_images);
      return [{ id, image, vision: e.vision === true }];
    });
  }

  async *createAsyncGenerator(
    options: OpenaiCompatibleOptions,
  ): AsyncGenerator<Chunk, void, undefined> {
    validateCreateOptions(options);
    const apiKey = options.apiKey ?? this.settings.apiKey;
    if (this.needsAuth && !apiKey) throw new MissingAuthError('Add a "api_key"');
    const model = this.getModel(options.model);
    if (options.prompt !== undefined || this.imageModels.includes(model)) {
      yield* this.generateImage(model, options, apiKey);
      return;
    }
    yield* this.chat(model, options, apiKey);
  }

  /** The chat body, `undefined` values dropped, as g4f builds it. */
  protected chatBody(model: string, options: OpenaiCompatibleOptions): Record<string, unknown> {
    const stream = options.stream ?? true;
    const body: Record<string, unknown> = { messages: options.messages };
    if (model) body.model = model;
    for (const key of PASS_THROUGH) {
      if (options[key] !== undefined && options[key] !== null) body[key] = options[key];
    }
    body.stream = stream;
    if (stream) body.stream_options = options.stream_options ?? { include_usage: true };
    return { ...body, ...options.extra_body };
  }

  /** Sends the chat request to the OpenAI-compatible route and reads the answer. */
  protected async *chat(
    model: string,
    options: OpenaiCompatibleOptions,
    apiKey: string | undefined,
  ): AsyncGenerator<Chunk, void, undefined> {
    const body = this.chatBody(model, options);
    const response = await this.request(
      this.settings.apiEndpoint ?? `${this.apiPrefix}/chat/completions`,
      {
        method: 'POST',
        headers: this.headers(body.stream === true, apiKey),
        body: JSON.stringify(body),
      },
      options,
    );
    await raiseForStatus(response);
    await rejectHtmlAnswer(response);
    const type = mediaType(response.headers);
    if (type === 'text/event-stream') {
      yield* this.readStream(response);
    } else if (isJsonMediaType(type)) {
      yield* this.readJson(response);
    } else if (type.startsWith('image/')) {
      const pieces: Uint8Array[] = [];
      for await (const piece of response.body) pieces.push(piece);
      const base64 = Buffer.concat(pieces).toString('base64');
      yield new ImageResponse(`data:${type};base64,${base64}`, model);
    } else {
      const excerpt = await readExcerpt(response);
      throw new UnexpectedResponseError(
        `${this.label}: unexpected content-type "${type}": ${excerpt.slice(0, 200)}`,
      );
    }
  }

  /** Reads an SSE answer: typed chunks in order, `[DONE]` or a finish reason required. */
  private async *readStream(response: HttpResponse): AsyncGenerator<Chunk, void, undefined> {
    let batch: ChatEvent[] = [];
    let done = false;
    let bad: StreamParseError | undefined;
    const parser = createSseParser({
      onEvent: ({ data }) => {
        if (done || bad) return;
        if (data === '[DONE]') {
          done = true;
          return;
        }
        try {
          batch.push(JSON.parse(data) as ChatEvent);
        } catch (cause) {
          bad = new StreamParseError(`Invalid JSON in stream: ${data.slice(0, 200)}`, {
            kind: 'invalid-json',
            line: data,
            cause,
          });
        }
      },
    });
    let started = false;
    let finished = false;
    const chunks: Chunk[] = [];
    // Events are cut straight into a batch and turned into chunks in one pass: one generator
    // step per chunk and no second generator in between (see `pnpm bench`).
    const take = (): void => {
      for (const event of batch) {
        if (event.error !== undefined && event.error !== null) {
          throw new UnexpectedResponseError(`${this.label}: ${errorText(event.error)}`);
        }
        const choice = event.choices?.[0];
        const delta = choice?.delta;
        if (delta) {
          const content = delta.content;
          if (typeof content === 'string' && content !== '') {
            // g4f left-trims the first text of an answer.
            const text = started ? content : content.trimStart();
            if (text !== '') {
              started = true;
              chunks.push(text);
            }
          }
          const reasoning = reasoningOf(delta);
          if (reasoning !== undefined) chunks.push(new Reasoning(reasoning));
          const calls = toolCallsOf(delta.tool_calls);
          if (calls) chunks.push(calls);
        }
        const usage = usageOf(event.usage);
        if (usage) chunks.push(usage);
        if (typeof choice?.finish_reason === 'string') {
          finished = true;
          chunks.push(new FinishReason(choice.finish_reason));
        }
      }
      batch = [];
    };
    for await (const piece of response.body) {
      parser.feed(piece);
      try {
        take();
      } finally {
        // Chunks before a failure are handed out first: text given is never taken back.
        yield* chunks.splice(0);
      }
      if (bad) throw bad;
      if (done) {
        await response.cancel();
        return;
      }
    }
    parser.end();
    try {
      take();
    } finally {
      yield* chunks.splice(0);
    }
    if (bad) throw bad;
    if (!done && !finished) {
      throw new NetworkError(
        `${this.label}: the stream ended before [DONE] or a finish reason (${response.url})`,
      );
    }
  }

  /** Reads a whole JSON answer (a list: its first element). */
  private async *readJson(response: HttpResponse): AsyncGenerator<Chunk, void, undefined> {
    let body = (await response.json()) as ChatEvent | ChatEvent[];
    if (Array.isArray(body)) body = body[0] ?? {};
    if (typeof body !== 'object' || body === null) {
      throw new UnexpectedResponseError(`${this.label}: the answer is not a JSON object`);
    }
    if (body.error !== undefined && body.error !== null) {
      throw new UnexpectedResponseError(
        `${this.label}: Response ${response.status}: ${errorText(body.error)}`,
      );
    }
    const choice = body.choices?.[0];
    const message = choice?.message;
    if (message) {
      const reasoning = reasoningOf(message);
      if (reasoning !== undefined) yield new Reasoning(reasoning);
      if (typeof message.content === 'string' && message.content.trim() !== '') {
        yield message.content.trim();
      }
      const calls = toolCallsOf(message.tool_calls);
      if (calls) yield calls;
    }
    const usage = usageOf(body.usage);
    if (usage) yield usage;
    if (typeof choice?.finish_reason === 'string') yield new FinishReason(choice.finish_reason);
  }

  private async *generateImage(
    model: string,
    options: OpenaiCompatibleOptions,
    apiKey: string | undefined,
  ): AsyncGenerator<Chunk, void, undefined> {
    const prompt = options.prompt ?? lastUserText(options.messages);
    const body: Record<string, unknown> = { prompt };
    if (model) body.model = model;
    if (options.size !== undefined) body.size = options.size;
    else {
      if (options.width !== undefined) body.width = options.width;
      if (options.height !== undefined) body.height = options.height;
    }
    const response = await this.request(
      `${this.apiPrefix}/images/generations`,
      { method: 'POST', headers: this.headers(false, apiKey), body: JSON.stringify(body) },
      options,
    );
    await raiseForStatus(response);
    await rejectHtmlAnswer(response);
    if (!(response.headers['content-type'] ?? '').includes('json')) {
      const text = await readExcerpt(response);
      throw new UnexpectedResponseError(`${this.label}: ${text.slice(0, 500)}`);
    }
    const answer = (await response.json()) as { data?: unknown; error?: unknown } | null;
    if (answer?.error !== undefined && answer.error !== null) {
      throw new UnexpectedResponseError(`${this.label}: ${errorText(answer.error)}`);
    }
    const urls = Array.isArray(answer?.data)
      ? answer.data.flatMap((image: { url?: unknown; b64_json?: unknown }) => {
          if (typeof image?.url === 'string') return [image.url];
          if (typeof image?.b64_json === 'string') {
            return [`data:image/png;base64,${image.b64_json}`];
          }
          return [];
        })
      : [];
    if (urls.length === 0) {
      throw new UnexpectedResponseError(
        `${this.label}: no image in the answer: ${JSON.stringify(answer).slice(0, 200)}`,
      );
    }
    yield new ImageResponse(urls, prompt);
  }
}

function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Builds an {@link OpenaiCompatible} provider for the server at `settings.baseUrl`. */
export function createOpenaiCompatible(settings: OpenaiCompatibleSettings): OpenaiCompatible {
  return new OpenaiCompatible(settings);
}
