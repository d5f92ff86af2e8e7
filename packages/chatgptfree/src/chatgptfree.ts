import {
  BaseProvider,
  type Chunk,
  type CreateOptions,
  cookieHeader,
  EmptyAnswerError,
  errorFromResponse,
  formatPrompt,
  isCloudflarePage,
  MissingAuthError,
  NetworkError,
  type ProviderSettings,
  parseSetCookie,
  raiseForStatus,
  readExcerpt,
  readLines,
  rejectHtmlAnswer,
  SharedStep,
  safeParseJson,
  UnexpectedResponseError,
  validateCreateOptions,
} from '@g4f/core';

/** Options of one ChatgptFree call. */
export interface ChatgptFreeOptions extends CreateOptions {
  /** Cookies for this call, sent on both requests. */
  cookies?: Record<string, string>;
}

/** Settings of a {@link ChatgptFree} instance. */
export interface ChatgptFreeSettings extends ProviderSettings {
  /** Cookies sent on every request. */
  cookies?: Record<string, string>;
}

/** The chat widget's ids, scraped from the page. */
interface WidgetIds {
  postId: string;
  nonce: string;
  /** Cookies the page set; sent with the asks that use these ids. */
  cookies: Record<string, string>;
}

const POST_ID = /data-post-id="([0-9]+)"/;
/** Same-origin redirects followed when loading the page, as a browser would. */
const PAGE_REDIRECTS = 3;
const NONCE = /data-nonce="(.*?)"/;

function sessionHeaders(base: string): Record<string, string> {
  const origin = new URL(base);
  return {
    authority: origin.host,
    accept: '*/*',
    'accept-language': 'en,fr-FR;q=0.9,fr;q=0.8,es-ES;q=0.7,es;q=0.6,en-US;q=0.5,am;q=0.4,de;q=0.3',
    origin: origin.origin,
    referer: `${origin.origin}/chat/`,
    'sec-ch-ua': '"Chromium";v="118", "Google Chrome";v="118", "Not=A?Brand";v="99"',
    'sec-ch-ua-mobile': '?0',
    'sec-ch-ua-platform': '"macOS"',
    'sec-fetch-dest': 'empty',
    'sec-fetch-mode': 'cors',
    'sec-fetch-site': 'same-origin',
    'user-agent':
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/118.0.0.0 Safari/537.36',
  };
}

/** What the page load depends on: calls that differ in these never share one. */
interface PageKey {
  proxy: string | undefined;
  cookies: Record<string, string> | undefined;
}

/** `choices[0].delta.content` of one SSE payload; anything else is a protocol break. */
function deltaContent(value: unknown): string {
  const object = value as { error?: { message?: unknown } | string; choices?: unknown } | null;
  if (object && typeof object === 'object' && object.error !== undefined) {
    const message =
      typeof object.error === 'string' ? object.error : String(object.error?.message ?? '');
    throw new UnexpectedResponseError(`ChatgptFree stream error: ${message}`);
  }
  const delta = Array.isArray(object?.choices)
    ? (object.choices[0] as { delta?: { content?: unknown } } | undefined)?.delta
    : undefined;
  if (!delta || typeof delta !== 'object') {
    throw new UnexpectedResponseError(
      `ChatgptFree sent a data line without choices[0].delta: ${JSON.stringify(value).slice(0, 200)}`,
    );
  }
  return typeof delta.content === 'string' ? delta.content : '';
}

/**
 * ChatgptFree (chatgptfree.ai), a WordPress "AI Power" chat: scrapes the widget's post id and
 * nonce from the page (cached per instance), posts the flattened conversation to
 * `admin-ajax.php`, and reads `data:` lines, falling back to a JSON `{ data }` answer.
 * g4f marks it not working since November 2024 (Cloudflare).
 */
export class ChatgptFree extends BaseProvider<ChatgptFreeOptions, ChatgptFreeSettings> {
  readonly name = 'ChatgptFree';
  readonly label = 'ChatgptFree';
  readonly url = 'https://chatgptfree.ai';
  override readonly working = false;
  override readonly defaultModel = 'gpt-4o-mini-2024-07-18';
  override readonly models = ['gpt-4o-mini-2024-07-18'];
  override readonly modelAliases = { 'gpt-4o-mini': 'gpt-4o-mini-2024-07-18' };

  // Concurrent calls with the same proxy and cookies share one page load; its result is kept.
  private readonly widget = new SharedStep<WidgetIds>(
    (key, signal) => this.loadWidgetIds(JSON.parse(key) as PageKey, signal),
    { keep: true, name: 'The ChatgptFree page load' },
  );

  /** Forgets the cached post id and nonce, so the next call loads the page again. */
  resetCache(): void {
    this.widget.reset();
  }

  async *createAsyncGenerator(options: ChatgptFreeOptions): AsyncGenerator<Chunk, void, undefined> {
    validateCreateOptions(options);
    // The model is never sent (the site decides), but an unknown name is still a mistake.
    this.getModel(options.model);
    const prompt = formatPrompt(options.messages);
    const key = JSON.stringify({
      proxy: options.proxy ?? this.settings.proxy,
      cookies: options.cookies,
    } satisfies PageKey);
    for (let attempt = 0; ; attempt++) {
      const ids = await this.widget.get(key, {
        signal: options.signal,
        timeout: options.timeout ?? this.settings.timeout,
      });
      // An empty nonce is used once and not kept, as in g4f.
      if (ids.nonce === '') this.widget.reset(key);
      if (yield* this.ask(ids, prompt, options)) return;
      this.widget.reset(key);
      if (attempt >= 1) {
        throw new MissingAuthError(
          'ChatgptFree rejected a freshly loaded nonce (WordPress answered -1)',
        );
      }
    }
  }

  /** Runs with its own signal and the settings' timeout: it belongs to no one caller. */
  private async loadWidgetIds(key: PageKey, signal: AbortSignal): Promise<WidgetIds> {
    const response = await this.request(
      // Stryker disable next-line StringLiteral: the bare origin is the same page as `/`.
      '/',
      {
        headers: sessionHeaders(this.baseUrl),
        callHeaders: cookieHeader(this.settings.cookies, key.cookies),
        // A page a browser loads: same-origin redirects are followed, as the browser would.
        maxRedirects: PAGE_REDIRECTS,
      },
      { proxy: key.proxy, signal },
    );
    const pageUrl = response.url;
    await raiseForStatus(response);
    const cookies = parseSetCookie(response.getSetCookie());
    const html = await response.text();
    // A challenge page served with 200 is a bot check, not a page without a nonce.
    if (isCloudflarePage(html)) throw await errorFromResponse(response, html);
    const postId = POST_ID.exec(html)?.[1];
    if (postId === undefined) {
      throw new UnexpectedResponseError(
        `No post id found: ${pageUrl} has no data-post-id="<digits>"`,
      );
    }
    const nonce = NONCE.exec(html)?.[1];
    if (nonce === undefined)
      throw new UnexpectedResponseError(`No nonce found: ${pageUrl} has no data-nonce="…"`);
    return { postId, nonce, cookies };
  }

  /** Yields the answer and returns true, or returns false when WordPress rejected the nonce. */
  private async *ask(
    ids: WidgetIds,
    prompt: string,
    options: ChatgptFreeOptions,
  ): AsyncGenerator<Chunk, boolean, undefined> {
    const form = new URLSearchParams({
      _wpnonce: ids.nonce,
      post_id: ids.postId,
      url: this.baseUrl.replace(/\/+$/, ''),
      action: 'wpaicg_chat_shortcode_message',
      message: prompt,
      bot_id: '0',
    });
    const response = await this.request(
      '/wp-admin/admin-ajax.php',
      {
        method: 'POST',
        headers: {
          ...sessionHeaders(this.baseUrl),
          'content-type': 'application/x-www-form-urlencoded',
        },
        callHeaders: cookieHeader(this.settings.cookies, ids.cookies, options.cookies),
        body: form.toString(),
      },
      options,
    );
    if (response.status >= 400) {
      const excerpt = await readExcerpt(response);
      // WordPress's check_ajax_referer answers -1 (often with 403) for a stale nonce.
      if (excerpt.trim() === '-1') return false;
      throw await errorFromResponse(response, excerpt);
    }
    // A redirect (to a login page) or a 204 is not an answer.
    await raiseForStatus(response);
    await rejectHtmlAnswer(response);

    let buffer = '';
    let yielded = false;
    let sawData = false;
    let done = false;
    for await (const raw of readLines(response.body)) {
      const line = raw.trim();
      if (!line.startsWith('data: ')) {
        buffer += line;
        continue;
      }
      sawData = true;
      const payload = line.slice(6);
      if (payload === '[DONE]') {
        done = true;
        break;
      }
      // g4f skipped a data line that is not JSON; a cut last line is caught by the terminator.
      const parsed = safeParseJson(payload);
      if (!parsed.success) continue;
      const content = deltaContent(parsed.value);
      if (content !== '') {
        yielded = true;
        yield content;
      }
    }
    if (buffer !== '') {
      const parsed = safeParseJson(buffer);
      if (parsed.success) {
        const value = parsed.value;
        if (value === -1 && !yielded) return false;
        if (value === 0)
          throw new UnexpectedResponseError('ChatgptFree: WordPress answered 0 (unknown action)');
        if (value && typeof value === 'object' && 'data' in value) {
          const text = String((value as { data: unknown }).data ?? '');
          if (text !== '') yield text;
          else if (!yielded) throw new EmptyAnswerError('ChatgptFree answered an empty data');
          // A JSON answer completes the stream, with or without data lines before it.
          return true;
        }
        if (
          value &&
          typeof value === 'object' &&
          (value as { status?: unknown }).status === 'error'
        ) {
          throw new UnexpectedResponseError(
            `ChatgptFree error: ${String((value as { msg?: unknown }).msg ?? '')}`,
          );
        }
      } else if (!sawData) {
        throw new UnexpectedResponseError(
          `ChatgptFree answered neither data lines nor JSON: ${buffer.slice(0, 200)}`,
        );
      }
    }
    // g4f took a stream that stopped without its terminator as complete; it was cut.
    if (sawData && !done) {
      throw new NetworkError(
        `ChatgptFree's answer from ${response.url} ended without "data: [DONE]": it was cut`,
      );
    }
    if (!yielded) throw new EmptyAnswerError('ChatgptFree answered without any content');
    return true;
  }
}

/** Builds a {@link ChatgptFree} provider with the given settings. */
export function createChatgptFree(settings: ChatgptFreeSettings = {}): ChatgptFree {
  return new ChatgptFree(settings);
}

/** A ready default instance talking to the real upstream. */
export const chatgptFree: ChatgptFree = createChatgptFree();
