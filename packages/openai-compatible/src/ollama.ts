import {
  type CallTransport,
  type Chunk,
  FinishReason,
  NetworkError,
  Reasoning,
  raiseForStatus,
  readJsonLines,
  rejectHtmlAnswer,
  UnexpectedResponseError,
  Usage,
} from '@g4f/core';
import {
  OpenaiCompatible,
  type OpenaiCompatibleOptions,
  type OpenaiCompatibleSettings,
  type RemoteModel,
} from './openai-compatible.js';

/** Settings of an {@link Ollama} instance. */
export interface OllamaSettings extends Omit<OpenaiCompatibleSettings, 'baseUrl'> {
  /**
   * The Ollama server, with or without the `/v1` suffix of its OpenAI-compatible routes.
   * Default `http://{OLLAMA_HOST}:{OLLAMA_PORT}` from the environment, else
   * `http://127.0.0.1:11434`.
   */
  baseUrl?: string;
}

/** Options of one Ollama call. */
export type OllamaOptions = OpenaiCompatibleOptions;

interface OllamaLine {
  error?: unknown;
  message?: { content?: unknown; thinking?: unknown };
  done?: unknown;
  done_reason?: unknown;
  prompt_eval_count?: unknown;
  eval_count?: unknown;
}

/**
 * The Ollama server that `OLLAMA_HOST` and `OLLAMA_PORT` name, as g4f reads them (a full URL in
 * `OLLAMA_HOST` too; unset or empty means `127.0.0.1` and `11434`). The default `baseUrl` of
 * {@link Ollama}; takes the environment to read, for a program that has its own.
 */
export function ollamaServerFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const host = env.OLLAMA_HOST || '127.0.0.1';
  if (/^https?:\/\//.test(host)) return host;
  const port = env.OLLAMA_PORT || '11434';
  return host.includes(':') ? `http://${host}` : `http://${host}:${port}`;
}

/** `baseUrl` without a trailing `/v1` (and slashes): where Ollama's native `/api` routes are. */
function serverRoot(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '');
}

const count = (value: unknown): number => (typeof value === 'number' ? value : 0);

/**
 * A local Ollama server (g4f `Ollama`): models from `GET /api/tags`, local models answered
 * through Ollama's native NDJSON `POST /api/chat` (its `thinking` as reasoning), anything
 * else (and every call with `tools`) through its OpenAI-compatible `/v1` routes.
 */
export class Ollama extends OpenaiCompatible {
  protected override readonly apiPrefix = '/v1';
  readonly #root: string;
  #local: Promise<string[]> | undefined;

  constructor(settings: OllamaSettings = {}) {
    const root = serverRoot(settings.baseUrl ?? ollamaServerFromEnv());
    super(
      { ...settings, baseUrl: root },
      {
        name: 'Ollama',
        label: 'Ollama 🦙',
        needsAuth: false,
        working: true,
        defaultModel: 'llama3.2',
        modelAliases: { 'gpt-oss-120b': 'gpt-oss:120b', 'gpt-oss-20b': 'gpt-oss:20b' },
      },
    );
    this.#root = root;
  }

  /**
   * The models pulled on the server, from `GET /api/tags` (cached once it answers); an empty
   * list when the server does not answer it.
   */
  async localModels(call: CallTransport = {}): Promise<string[]> {
    this.#local ??= this.fetchTags(call).catch(() => {
      this.#local = undefined;
      if (call.signal?.aborted) throw call.signal.reason;
      return [];
    });
    return this.#local;
  }

  /** The local models when `/api/tags` lists any, else the `/v1/models` listing. */
  override async listModels(call: CallTransport = {}): Promise<readonly RemoteModel[]> {
    const local = await this.localModels(call);
    if (local.length > 0) return local.map((id) => ({ id, image: false, vision: false }));
    return super.listModels(call);
  }

  private async fetchTags(call: CallTransport): Promise<string[]> {
    const response = await this.request(
      '/api/tags',
      { headers: this.headers(false, undefined) },
      call,
    );
    await raiseForStatus(response);
    const body = (await response.json()) as { models?: { name?: unknown }[] } | null;
    return (body?.models ?? []).flatMap((m) => (typeof m?.name === 'string' ? [m.name] : []));
  }

  protected override async *chat(
    model: string,
    options: OllamaOptions,
    apiKey: string | undefined,
  ): AsyncGenerator<Chunk, void, undefined> {
    const local = options.tools === undefined ? await this.localModels(options) : [];
    const isLocal = local.some((name) => name === model || name === `${model}:latest`);
    if (!isLocal) {
      yield* super.chat(model, options, apiKey);
      return;
    }
    const response = await this.request(
      '/api/chat',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model, messages: options.messages }),
      },
      options,
    );
    await raiseForStatus(response);
    await rejectHtmlAnswer(response);
    let done = false;
    for await (const result of readJsonLines(response.body)) {
      if (!result.success) throw result.error;
      const line = result.value as OllamaLine;
      if (line.error !== undefined && line.error !== null) {
        throw new UnexpectedResponseError(`${this.label}: ${String(line.error)}`);
      }
      const thinking = line.message?.thinking;
      if (typeof thinking === 'string' && thinking !== '') yield new Reasoning(thinking);
      const content = line.message?.content;
      if (typeof content === 'string' && content !== '') yield content;
      if (line.done === true) {
        done = true;
        yield new Usage(count(line.prompt_eval_count), count(line.eval_count));
        yield new FinishReason(typeof line.done_reason === 'string' ? line.done_reason : 'stop');
        await response.cancel();
        return;
      }
    }
    if (!done) {
      throw new NetworkError(`${this.label}: the stream ended before "done": true (${this.#root})`);
    }
  }
}

/** Builds an {@link Ollama} provider with the given settings. */
export function createOllama(settings: OllamaSettings = {}): Ollama {
  return new Ollama(settings);
}

/** A ready instance for the local server named by `OLLAMA_HOST`/`OLLAMA_PORT` (read once, here). */
export const ollama: Ollama = createOllama();
