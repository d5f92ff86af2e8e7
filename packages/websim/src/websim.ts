import { randomInt } from 'node:crypto';
import {
  BaseProvider,
  type Chunk,
  type CreateOptions,
  EmptyAnswerError,
  errorFromResponse,
  getLastUserMessage,
  type HttpResponse,
  ImageResponse,
  isJsonMediaType,
  mediaType,
  type ProviderError,
  type ProviderSettings,
  parseRetryAfter,
  publicHeaders,
  RateLimitError,
  ResponseStatusError,
  raiseForStatus,
  rejectHtmlAnswer,
  retryWithBackoff,
  StreamParseError,
  safeParseJson,
  UnexpectedResponseError,
  validateCreateOptions,
} from '@g4f/core';

/** Options of one Websim call. */
export interface WebsimOptions extends CreateOptions {
  /** Image prompt; default the trailing run of user messages. */
  prompt?: string;
  /** Image aspect ratio, passed through; default `1:1`. */
  aspectRatio?: string;
  /** Use this project id instead of a generated one. */
  projectId?: string;
  /** This call's bound on its total back-off, in ms; overrides the setting of the same name. */
  maxRetryWaitMs?: number;
}

/** Settings of a {@link Websim} instance. */
export interface WebsimSettings extends ProviderSettings {
  /** Requests per chat call while rate limited; default 3, as in g4f. */
  maxAttempts?: number;
  /** Back-off unit: the wait after the n-th limited attempt is `2**n` of these. Default 1,000 ms. */
  retryBaseDelayMs?: number;
  /** Longest `Retry-After` honoured, in ms; longer ones are cut to this. Default 60,000. */
  maxRetryAfterMs?: number;
  /**
   * Bound on the time one chat call spends waiting between attempts, in ms. When the next
   * wait would pass it, the call fails at once with the last `RateLimitError` (a server asking
   * for an hour is not waited for). Default: no bound beyond `maxAttempts`.
   */
  maxRetryWaitMs?: number;
  /** How to wait between attempts; default a real abortable timer. Tests pass a recorder. */
  sleep?: (milliseconds: number, signal?: AbortSignal) => Promise<void>;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

function randomString(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

/**
 * g4f retried any failed answer whose body says "Rate limit exceeded", whatever its status:
 * such an answer becomes a `RateLimitError` (same status, headers and excerpt) so the retry
 * helper treats it as one. The body, not the error message, is what is read.
 */
function asRateLimit(error: ProviderError): ProviderError {
  if (
    RateLimitError.isInstance(error) ||
    !ResponseStatusError.isInstance(error) ||
    !error.bodyExcerpt.includes('Rate limit exceeded')
  )
    return error;
  return new RateLimitError(error.message, {
    status: error.status,
    url: error.url,
    responseHeaders: error.responseHeaders,
    bodyExcerpt: error.bodyExcerpt,
  });
}

/** The answer's JSON; a body that does not parse is a `StreamParseError`. */
function parseJsonOf(response: HttpResponse, text: string): unknown {
  const parsed = safeParseJson(text);
  if (parsed.success) return parsed.value;
  throw new StreamParseError(`Expected JSON from ${response.url}, got: ${text.slice(0, 200)}`, {
    kind: 'invalid-json',
    line: text,
  });
}

function emptyAnswer(response: HttpResponse, what: string): EmptyAnswerError {
  return new EmptyAnswerError(`Websim answered ${response.status} with ${what}`);
}

/**
 * An `error` in a 200 body is that error: the rate-limit text is a `RateLimitError` (status,
 * headers and excerpt of this answer, so the chat retries it as it retries a 429), anything
 * else an `UnexpectedResponseError`. g4f read such a body as an answer with no content.
 */
function errorInBody(response: HttpResponse, text: string, error: unknown): ProviderError {
  const message =
    typeof error === 'string'
      ? error
      : String((error as { message?: unknown } | null)?.message ?? JSON.stringify(error));
  if (text.includes('Rate limit exceeded')) {
    return new RateLimitError(`Response ${response.status}: ${message}`, {
      status: response.status,
      url: response.url,
      responseHeaders: publicHeaders(response.headers),
      bodyExcerpt: text.slice(0, 500),
      retryAfterMs: parseRetryAfter(response.headers),
    });
  }
  return new UnexpectedResponseError(
    `Websim answered an error with ${response.status}: ${message}`,
  );
}

/**
 * The chat answer: g4f took `content`, trimmed. A body that is not JSON is the answer itself
 * only when its media type is not JSON: a JSON answer that does not parse was cut, and is a
 * `StreamParseError`. An error object is that error; no content, blank content or an empty
 * body is an `EmptyAnswerError`.
 */
function chatContent(response: HttpResponse, text: string): string {
  if (text.trim() === '') throw emptyAnswer(response, 'an empty body');
  const parsed = safeParseJson(text);
  if (!parsed.success) {
    if (isJsonMediaType(mediaType(response.headers))) parseJsonOf(response, text);
    return text;
  }
  const value = parsed.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UnexpectedResponseError(
      `Websim answered JSON that is not an object: ${text.slice(0, 100)}`,
    );
  }
  const { content, error } = value as { content?: unknown; error?: unknown };
  if (error !== undefined && error !== null) throw errorInBody(response, text, error);
  if (content === undefined) throw emptyAnswer(response, `no content (${text.slice(0, 100)})`);
  if (typeof content !== 'string') {
    throw new UnexpectedResponseError(
      `Websim answered a non-text content: ${JSON.stringify(content)}`,
    );
  }
  const trimmed = content.trim();
  if (trimmed === '') throw emptyAnswer(response, 'blank content');
  return trimmed;
}

/**
 * Websim (websim.ai): Gemini chat answered as one JSON document, and `flux` images. A rate
 * limited chat is retried with g4f's 2 s and 4 s back-off. g4f marks it not working since
 * July 2025.
 */
export class Websim extends BaseProvider<WebsimOptions, WebsimSettings> {
  readonly name = 'Websim';
  readonly label = 'Websim';
  readonly url = 'https://websim.ai';
  override readonly working = false;
  override readonly needsAuth = false;
  override readonly supportsStream = false;
  override readonly supportsSystemMessage = true;
  override readonly supportsMessageHistory = true;
  override readonly defaultModel = 'gemini-2.5-pro';
  /** The model that routes to image generation. */
  readonly defaultImageModel = 'flux';
  override readonly models = ['gemini-2.5-pro', 'gemini-2.5-flash', 'flux'];
  override readonly imageModels = ['flux'];

  /**
   * A random project id: `[a-z0-9]{3}_[a-z0-9]{15}` for chat, `[a-z0-9]{7}_[a-z0-9]{12}` for
   * images, as the site's own ids look.
   */
  static generateProjectId(forImage = false): string {
    return forImage
      ? `${randomString(7)}_${randomString(12)}`
      : `${randomString(3)}_${randomString(15)}`;
  }

  async *createAsyncGenerator(options: WebsimOptions): AsyncGenerator<Chunk, void, undefined> {
    validateCreateOptions(options);
    const model = this.getModel(options.model);
    if (this.imageModels.includes(model)) yield* this.generateImage(options);
    else yield* this.chat(options);
  }

  private headers(refererPath: string): Record<string, string> {
    const base = this.baseUrl;
    return {
      accept: '*/*',
      'accept-language': 'en-US,en;q=0.9',
      // g4f's body is JSON, but its session header made aiohttp send text/plain.
      'content-type': 'text/plain;charset=UTF-8',
      origin: new URL(base).origin,
      referer: `${base.replace(/\/+$/, '')}${refererPath}`,
      'user-agent':
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/133.0.0.0 Safari/537.36',
      // g4f sent the curl artefact `websim-flags;` as a header name; HTTP parsers refuse it.
      'websim-flags': '',
    };
  }

  private async *chat(options: WebsimOptions): AsyncGenerator<Chunk, void, undefined> {
    const body = JSON.stringify({
      project_id: options.projectId ?? Websim.generateProjectId(false),
      messages: options.messages,
    });
    const answer = await retryWithBackoff(
      async () => {
        const response = await this.request(
          '/api/v1/inference/run_chat_completion',
          {
            method: 'POST',
            headers: this.headers('/@ISWEARIAMNOTADDICTEDTOPILLOW/zelos-ai-assistant'),
            body,
          },
          options,
        );
        if (response.status >= 400) throw asRateLimit(await errorFromResponse(response));
        // A redirect (302 to a login page) or a 204 is not an answer.
        await raiseForStatus(response);
        await rejectHtmlAnswer(response);
        return chatContent(response, await response.text());
      },
      {
        maxAttempts: this.settings.maxAttempts,
        baseDelayMs: this.settings.retryBaseDelayMs,
        maxRetryAfterMs: this.settings.maxRetryAfterMs,
        maxRetryWaitMs: options.maxRetryWaitMs ?? this.settings.maxRetryWaitMs,
        sleep: this.settings.sleep,
        signal: options.signal,
      },
    );
    yield answer;
  }

  private async *generateImage(options: WebsimOptions): AsyncGenerator<Chunk, void, undefined> {
    const prompt = options.prompt ?? getLastUserMessage(options.messages);
    const response = await this.request(
      '/api/v1/inference/run_image_generation',
      {
        method: 'POST',
        headers: this.headers('/@ISWEARIAMNOTADDICTEDTOPILLOW/ai-image-prompt-generator'),
        body: JSON.stringify({
          project_id: options.projectId ?? Websim.generateProjectId(true),
          prompt,
          aspect_ratio: options.aspectRatio ?? '1:1',
        }),
      },
      options,
    );
    await raiseForStatus(response);
    await rejectHtmlAnswer(response);
    const text = await response.text();
    if (text.trim() === '') throw emptyAnswer(response, 'an empty body');
    const value = (await parseJsonOf(response, text)) as { url?: unknown; error?: unknown } | null;
    if (value && typeof value === 'object' && value.error !== undefined)
      throw errorInBody(response, text, value.error);
    const url = value && typeof value === 'object' ? value.url : undefined;
    if (typeof url !== 'string' || url === '')
      throw emptyAnswer(response, `no image URL (${text.slice(0, 100)})`);
    yield new ImageResponse([url], prompt);
  }
}

/** Builds a {@link Websim} provider with the given settings. */
export function createWebsim(settings: WebsimSettings = {}): Websim {
  return new Websim(settings);
}

/** A ready default instance talking to the real upstream. */
export const websim: Websim = createWebsim();
