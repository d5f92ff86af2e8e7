import {
  BaseProvider,
  type CallTransport,
  type Chunk,
  CloudflareError,
  type CreateOptions,
  type CredentialsStore,
  createFileStore,
  errorFromResponse,
  formatPrompt,
  type HttpResponse,
  isCloudflarePage,
  isJsonMediaType,
  MissingAuthError,
  mediaType,
  type ProviderSettings,
  RateLimitError,
  ResponseStatusError,
  raiseForStatus,
  readExcerpt,
  readJsonLines,
  rejectHtmlAnswer,
  SharedStep,
  safeParseJson,
  UnexpectedResponseError,
  validateCreateOptions,
} from '@g4f/core';
import { load } from 'cheerio';

/** What the credentials cache holds (g4f's `robocoders.json`). */
export interface RobocodersCredentials extends Record<string, unknown> {
  access_token?: string;
  sid?: string;
}

/** Settings of a {@link RobocodersAPI} instance. */
export interface RobocodersSettings extends ProviderSettings {
  /** Folder of the default file cache (`robocoders.json`); see `resolveCacheDir` in core. */
  cacheDir?: string;
  /** Where credentials are kept; default a file store under `cacheDir`. */
  store?: CredentialsStore<RobocodersCredentials>;
}

/** A token and the session created with it. */
export interface RobocodersSession {
  accessToken: string;
  sid: string;
}

/** Same-origin redirects followed when loading the `/auth` page, as a browser would. */
const PAGE_REDIRECTS = 3;

const AUTH_HEADERS = {
  accept:
    'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7',
  'user-agent':
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
};

/** The text a line carries: `args.content` if truthy, else `message` (g4f's rule). */
function lineText(value: unknown): { text: string; waitForResponse: boolean } | undefined {
  // A number, string or array has none of these fields: its text is empty and it is skipped.
  const line = (value ?? {}) as { action?: unknown; args?: unknown; message?: unknown };
  // g4f read `args` as an object; a null or scalar `args` failed and the line was skipped.
  if (line.args !== undefined && (typeof line.args !== 'object' || line.args === null))
    return undefined;
  const args = (line.args ?? {}) as { content?: unknown; wait_for_response?: unknown };
  const text = args.content ? String(args.content) : line.message ? String(line.message) : '';
  return { text, waitForResponse: line.action === 'message' && Boolean(args.wait_for_response) };
}

/** g4f's 422 error: FastAPI's validation messages after `prefix`. */
function validationError(
  response: HttpResponse,
  excerpt: string,
  prefix: string,
): ResponseStatusError {
  return new ResponseStatusError(`${prefix} ${validationDetail(excerpt)}`, {
    status: 422,
    url: response.url,
    bodyExcerpt: excerpt.slice(0, 500),
  });
}

/** The first FastAPI validation message of a 422 body, if any. */
function validationDetail(excerpt: string): string {
  const parsed = safeParseJson(excerpt);
  const detail = parsed.success ? (parsed.value as { detail?: unknown } | null)?.detail : undefined;
  if (Array.isArray(detail)) {
    return detail
      .map(
        (d: { loc?: unknown[]; msg?: unknown }) =>
          `${(d.loc ?? []).join('.')}: ${String(d.msg ?? '')}`,
      )
      .join('; ');
  }
  return typeof detail === 'string' ? detail : excerpt.trim().slice(0, 200);
}

/**
 * Robocoders AI's agent API: an access token scraped from the `/auth` page, a session created
 * with it, both cached (file store by default); chat answers stream as newline-delimited JSON.
 * g4f marks it not working since December 2024.
 */
export class RobocodersAPI extends BaseProvider<CreateOptions, RobocodersSettings> {
  readonly name = 'RobocodersAPI';
  readonly label = 'API Robocoders AI';
  readonly url = 'https://api.robocoders.ai/docs';
  override readonly working = false;
  override readonly supportsMessageHistory = true;
  override readonly defaultModel = 'GeneralCodingAgent';
  override readonly models = ['GeneralCodingAgent', 'RepoAgent', 'FrontEndAgent'];
  /** g4f's other name for the models. */
  readonly agent: readonly string[] = this.models;
  /** The API lives on its own origin; `url` is its docs page. */
  protected override readonly defaultBaseUrl = 'https://api.robocoders.ai';

  /** Opened by the first call, so building an instance never touches the disk. */
  private store: CredentialsStore<RobocodersCredentials> | undefined = this.settings.store;
  // Concurrent first calls through one proxy share one `/auth` + `/create-session`.
  private readonly login = new SharedStep<RobocodersSession>(
    async (proxy, signal) => {
      const transport = { proxy: proxy === '' ? undefined : proxy, signal };
      const accessToken = await this.fetchAndCacheAccessToken(transport);
      const sid = await this.createAndCacheSession(accessToken, transport);
      return { accessToken, sid };
    },
    { name: 'The Robocoders login (/auth and /create-session)' },
  );

  async *createAsyncGenerator(options: CreateOptions): AsyncGenerator<Chunk, void, undefined> {
    validateCreateOptions(options);
    const agent = this.getModel(options.model);
    const prompt = formatPrompt(options.messages);
    for (let attempt = 0; ; attempt++) {
      const session = await this.getOrCreateAccessAndSession(options);
      const response = await this.postChat(session, prompt, agent, options);
      if (response.status === 401) {
        const excerpt = await readExcerpt(response);
        // The token was revoked: forget it, authenticate once more, and retry once.
        await this.clearCachedData();
        if (attempt === 0) continue;
        throw new MissingAuthError('Unauthorized: Invalid token, please retry.', {
          status: 401,
          url: response.url,
          bodyExcerpt: excerpt.slice(0, 500),
        });
      }
      await this.raiseForChatStatus(response);
      await rejectHtmlAnswer(response);
      yield* this.readAnswer(response, session, agent, options, true);
      return;
    }
  }

  /** The cached token and session, or new ones (g4f `get_or_create_access_and_session`). */
  async getOrCreateAccessAndSession(options: CallTransport = {}): Promise<RobocodersSession> {
    const cached = await this.getCachedData();
    // Values of the wrong type (a hand-edited or foreign file) count as missing: sending
    // `Bearer 5` or `[object Object]` would only earn a 401 or 422.
    const accessToken = cached?.access_token;
    const sid = cached?.sid;
    if (
      typeof accessToken === 'string' &&
      accessToken !== '' &&
      typeof sid === 'string' &&
      sid !== ''
    )
      return { accessToken, sid };
    // The shared step runs with the settings' timeout; each caller's own signal and timeout
    // bound only that caller's wait.
    return this.login.get(options.proxy ?? this.settings.proxy ?? '', {
      signal: options.signal,
      timeout: options.timeout ?? this.settings.timeout,
    });
  }

  /** Scrapes `pre#token` from the `/auth` page and caches it (g4f `fetch_and_cache_access_token`). */
  async fetchAndCacheAccessToken(options: CallTransport = {}): Promise<string> {
    // A page a browser loads: same-origin redirects are followed, as the browser would.
    const response = await this.request(
      '/auth',
      { headers: AUTH_HEADERS, maxRedirects: PAGE_REDIRECTS },
      options,
    );
    const authUrl = response.url;
    await raiseForStatus(response);
    const page = await response.text();
    // A challenge page served with 200 is a bot check, not a page without a token.
    if (isCloudflarePage(page)) throw await errorFromResponse(response, page);
    const token = load(page)('pre#token').first().text().trim();
    if (!token)
      throw new UnexpectedResponseError(`No access token: ${authUrl} has no <pre id="token">`);
    await this.saveCachedData({ access_token: token });
    return token;
  }

  /** Creates a session with `accessToken` and caches the pair (g4f `create_and_cache_session`). */
  async createAndCacheSession(accessToken: string, options: CallTransport = {}): Promise<string> {
    const response = await this.request(
      '/create-session',
      { headers: { authorization: `Bearer ${accessToken}` } },
      options,
    );
    if (response.status === 401) {
      await response.cancel();
      await this.clearCachedData();
      throw new MissingAuthError('Unauthorized: Invalid token during session creation.', {
        status: 401,
      });
    }
    if (response.status === 422) {
      const excerpt = await readExcerpt(response);
      throw validationError(response, excerpt, 'Validation Error: Check input parameters.');
    }
    await raiseForStatus(response);
    if (!isJsonMediaType(mediaType(response.headers))) {
      const excerpt = await readExcerpt(response, options.signal);
      if (isCloudflarePage(excerpt)) throw await errorFromResponse(response, excerpt);
      throw new UnexpectedResponseError(
        `Failed to initialize API interaction: /create-session answered ${response.headers['content-type'] ?? 'no content type'}, not JSON: ${excerpt.slice(0, 100)}`,
      );
    }
    const sid = ((await response.json()) as { sid?: unknown } | null)?.sid;
    if (typeof sid !== 'string' || sid === '') {
      throw new UnexpectedResponseError(
        'Failed to initialize API interaction: /create-session returned no sid',
      );
    }
    // The pair is written at once, so a concurrent writer can never leave a token with
    // another token's session.
    await this.saveCachedData({ access_token: accessToken, sid });
    return sid;
  }

  /** Replaces the cache (g4f `_save_cached_data`). */
  async saveCachedData(data: RobocodersCredentials): Promise<void> {
    await this.credentials().set(data);
  }

  /** Deletes the cache (g4f `_clear_cached_data`). */
  async clearCachedData(): Promise<void> {
    await this.credentials().clear();
  }

  /** Reads the cache; a corrupt file reads as empty (g4f `_get_cached_data`). */
  async getCachedData(): Promise<RobocodersCredentials | undefined> {
    return this.credentials().get();
  }

  private credentials(): CredentialsStore<RobocodersCredentials> {
    this.store ??= createFileStore<RobocodersCredentials>({
      name: 'robocoders',
      cacheDir: this.settings.cacheDir,
    });
    return this.store;
  }

  private postChat(
    session: RobocodersSession,
    prompt: string,
    agent: string,
    options: CallTransport,
  ) {
    return this.request(
      '/chat',
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${session.accessToken}`,
        },
        body: JSON.stringify({ sid: session.sid, prompt, agent }),
      },
      options,
    );
  }

  /** g4f's messages per status, on core's typed errors. */
  private async raiseForChatStatus(response: HttpResponse): Promise<void> {
    if (response.status === 200) return;
    const excerpt = await readExcerpt(response);
    const common = {
      status: response.status,
      url: response.url,
      bodyExcerpt: excerpt.slice(0, 500),
    };
    if (response.status === 422)
      throw validationError(response, excerpt, 'Validation Error: Invalid input.');
    const error = await errorFromResponse(response, excerpt);
    // A challenge page, a rate limit, refused credentials and a redirect or empty 2xx (which g4f
    // never saw: its client followed redirects) keep core's classes and messages; any other
    // status gets g4f's wording.
    if (
      CloudflareError.isInstance(error) ||
      RateLimitError.isInstance(error) ||
      MissingAuthError.isInstance(error) ||
      (response.status >= 300 && response.status < 400) ||
      response.status === 204 ||
      response.status === 205
    )
      throw error;
    const kind = response.status >= 500 ? 'Server Error' : 'Unexpected Error';
    throw new ResponseStatusError(`${kind}: ${response.status}`, common);
  }

  private async *readAnswer(
    response: HttpResponse,
    session: RobocodersSession,
    agent: string,
    options: CallTransport,
    followContinue: boolean,
  ): AsyncGenerator<string, void, undefined> {
    // g4f skipped lines that are not JSON, so a bad line is not fatal here.
    for await (const parsed of readJsonLines(response.body)) {
      const item = parsed.success ? lineText(parsed.value) : undefined;
      if (!item) continue;
      if (item.text !== '') yield item.text;
      if (followContinue && item.waitForResponse)
        yield* this.continueAnswer(session, agent, options);
    }
  }

  /**
   * g4f's one-level "continue" request. g4f ignored its failures, so a cut continuation looked
   * complete; here they are raised after the text so far, like any other failure of the answer.
   */
  private async *continueAnswer(
    session: RobocodersSession,
    agent: string,
    options: CallTransport,
  ): AsyncGenerator<string, void, undefined> {
    const response = await this.postChat(session, 'continue', agent, options);
    await this.raiseForChatStatus(response);
    await rejectHtmlAnswer(response);
    yield* this.readAnswer(response, session, agent, options, false);
  }
}

/** Builds a {@link RobocodersAPI} provider with the given settings. */
export function createRobocoders(settings: RobocodersSettings = {}): RobocodersAPI {
  return new RobocodersAPI(settings);
}

/** A ready default instance: the real upstream, credentials under the default cache dir. */
export const robocoders: RobocodersAPI = createRobocoders();
