import {
  BaseProvider,
  type Chunk,
  type CreateOptions,
  type CredentialsStore,
  createFileStore,
  errorFromResponse,
  formatPrompt,
  type HttpResponse,
  httpRequest,
  isCloudflarePage,
  joinUrl,
  MissingAuthError,
  type ProviderSettings,
  ResponseStatusError,
  raiseForStatus,
  readExcerpt,
  readLines,
  rejectHtmlAnswer,
  safeParseJson,
  transportOptions,
  UnexpectedResponseError,
  validateMessages,
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

type CallOptions = Pick<CreateOptions, 'proxy' | 'signal' | 'timeout'>;

const AUTH_HEADERS = {
  accept:
    'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7',
  'user-agent':
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
};

/** The text a line carries: `args.content` if truthy, else `message` (g4f's rule). */
function lineText(value: unknown): { text: string; waitForResponse: boolean } | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const line = value as { action?: unknown; args?: unknown; message?: unknown };
  // g4f read `args` as an object; a null or scalar `args` failed and the line was skipped.
  if (line.args !== undefined && (typeof line.args !== 'object' || line.args === null))
    return undefined;
  const args = (line.args ?? {}) as { content?: unknown; wait_for_response?: unknown };
  const text = args.content ? String(args.content) : line.message ? String(line.message) : '';
  return { text, waitForResponse: line.action === 'message' && Boolean(args.wait_for_response) };
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
export class RobocodersAPI extends BaseProvider {
  readonly name = 'RobocodersAPI';
  readonly label = 'API Robocoders AI';
  readonly url = 'https://api.robocoders.ai/docs';
  override readonly working = false;
  override readonly supportsMessageHistory = true;
  override readonly defaultModel = 'GeneralCodingAgent';
  override readonly models = ['GeneralCodingAgent', 'RepoAgent', 'FrontEndAgent'];
  /** g4f's other name for the models. */
  readonly agent: readonly string[] = this.models;

  private readonly settings: RobocodersSettings;
  private store: CredentialsStore<RobocodersCredentials> | undefined;
  private pendingSession: Promise<RobocodersSession> | undefined;

  /** Never touches the network or the disk; the cache is opened by the first call. */
  constructor(settings: RobocodersSettings = {}) {
    super();
    this.settings = settings;
    this.store = settings.store;
  }

  async *createAsyncGenerator(options: CreateOptions): AsyncGenerator<Chunk, void, undefined> {
    validateMessages(options.messages);
    const agent = this.getModel(options.model);
    const prompt = formatPrompt(options.messages);
    for (let attempt = 0; ; attempt++) {
      const session = await this.getOrCreateAccessAndSession(options);
      const response = await this.postChat(session, prompt, agent, options);
      if (response.status === 401) {
        await response.cancel();
        // The token was revoked: forget it, authenticate once more, and retry once.
        await this.clearCachedData();
        if (attempt === 0) continue;
        throw new MissingAuthError('Unauthorized: Invalid token, please retry.', { status: 401 });
      }
      await this.raiseForChatStatus(response);
      await rejectHtmlAnswer(response);
      yield* this.readAnswer(response, session, agent, options, true);
      return;
    }
  }

  /** The cached token and session, or new ones (g4f `get_or_create_access_and_session`). */
  async getOrCreateAccessAndSession(options: CallOptions = {}): Promise<RobocodersSession> {
    const cached = await this.getCachedData();
    if (cached?.access_token && cached.sid)
      return { accessToken: cached.access_token, sid: cached.sid };
    // Concurrent first calls of one instance share one authentication.
    if (!this.pendingSession) {
      const pending = (async () => {
        const accessToken = await this.fetchAndCacheAccessToken(options);
        const sid = await this.createAndCacheSession(accessToken, options);
        return { accessToken, sid };
      })();
      this.pendingSession = pending;
      pending.then(
        () => this.releasePending(pending),
        () => this.releasePending(pending),
      );
    }
    return this.pendingSession;
  }

  /** Scrapes `pre#token` from the `/auth` page and caches it (g4f `fetch_and_cache_access_token`). */
  async fetchAndCacheAccessToken(options: CallOptions = {}): Promise<string> {
    const authUrl = joinUrl(this.base(), '/auth');
    const response = await httpRequest(authUrl, {
      headers: { ...AUTH_HEADERS, ...this.settings.headers },
      ...transportOptions(this.settings, options),
    });
    await raiseForStatus(response);
    const token = load(await response.text())('pre#token')
      .first()
      .text()
      .trim();
    if (!token)
      throw new UnexpectedResponseError(`No access token: ${authUrl} has no <pre id="token">`);
    await this.saveCachedData({ access_token: token });
    return token;
  }

  /** Creates a session with `accessToken` and caches the pair (g4f `create_and_cache_session`). */
  async createAndCacheSession(accessToken: string, options: CallOptions = {}): Promise<string> {
    const response = await httpRequest(joinUrl(this.base(), '/create-session'), {
      headers: { authorization: `Bearer ${accessToken}`, ...this.settings.headers },
      ...transportOptions(this.settings, options),
    });
    if (response.status === 401) {
      await response.cancel();
      await this.clearCachedData();
      throw new MissingAuthError('Unauthorized: Invalid token during session creation.', {
        status: 401,
      });
    }
    if (response.status === 422) {
      const excerpt = await readExcerpt(response);
      throw new ResponseStatusError(
        `Validation Error: Check input parameters. ${validationDetail(excerpt)}`,
        {
          status: 422,
          url: response.url,
          bodyExcerpt: excerpt.slice(0, 500),
        },
      );
    }
    await raiseForStatus(response);
    if (!(response.headers['content-type'] ?? '').includes('json')) {
      const excerpt = await readExcerpt(response);
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

  /** Merges into the cache (g4f `_update_cached_data`). */
  async updateCachedData(patch: RobocodersCredentials): Promise<RobocodersCredentials> {
    return this.credentials().update(patch);
  }

  /** Deletes the cache (g4f `_clear_cached_data`). */
  async clearCachedData(): Promise<void> {
    await this.credentials().clear();
  }

  /** Reads the cache; a corrupt file reads as empty (g4f `_get_cached_data`). */
  async getCachedData(): Promise<RobocodersCredentials | undefined> {
    return this.credentials().get();
  }

  private releasePending(pending: Promise<RobocodersSession>): void {
    if (this.pendingSession === pending) this.pendingSession = undefined;
  }

  private credentials(): CredentialsStore<RobocodersCredentials> {
    this.store ??= createFileStore<RobocodersCredentials>({
      name: 'robocoders',
      cacheDir: this.settings.cacheDir,
    });
    return this.store;
  }

  private base(): string {
    return this.settings.baseUrl ?? 'https://api.robocoders.ai';
  }

  private postChat(
    session: RobocodersSession,
    prompt: string,
    agent: string,
    options: CallOptions,
  ) {
    return httpRequest(joinUrl(this.base(), '/chat'), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${session.accessToken}`,
        ...this.settings.headers,
      },
      body: JSON.stringify({ sid: session.sid, prompt, agent }),
      ...transportOptions(this.settings, options),
    });
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
    if (response.status === 422) {
      throw new ResponseStatusError(
        `Validation Error: Invalid input. ${validationDetail(excerpt)}`,
        common,
      );
    }
    const error = await errorFromResponse(response, excerpt);
    if (response.status >= 500 && !isCloudflarePage(excerpt)) {
      throw new ResponseStatusError(`Server Error: ${response.status}`, common);
    }
    if (error.name === 'ResponseStatusError') {
      throw new ResponseStatusError(`Unexpected Error: ${response.status}`, common);
    }
    throw error;
  }

  private async *readAnswer(
    response: HttpResponse,
    session: RobocodersSession,
    agent: string,
    options: CallOptions,
    followContinue: boolean,
  ): AsyncGenerator<string, void, undefined> {
    for await (const line of readLines(response.body)) {
      if (line.trim() === '') continue;
      const parsed = safeParseJson(line);
      const item = parsed.success ? lineText(parsed.value) : undefined;
      if (!item) continue;
      if (item.text !== '') yield item.text;
      if (followContinue && item.waitForResponse)
        yield* this.continueAnswer(session, agent, options);
    }
  }

  /** g4f's one-level "continue" request; its failures are ignored, as g4f ignored them. */
  private async *continueAnswer(
    session: RobocodersSession,
    agent: string,
    options: CallOptions,
  ): AsyncGenerator<string, void, undefined> {
    let response: HttpResponse;
    try {
      response = await this.postChat(session, 'continue', agent, options);
    } catch (error) {
      if (options.signal?.aborted) throw error;
      return;
    }
    if (response.status !== 200) {
      await response.cancel();
      return;
    }
    try {
      yield* this.readAnswer(response, session, agent, options, false);
    } catch (error) {
      if (options.signal?.aborted) throw error;
    }
  }
}

/** Builds a {@link RobocodersAPI} provider with the given settings. */
export function createRobocoders(settings: RobocodersSettings = {}): RobocodersAPI {
  return new RobocodersAPI(settings);
}

/** A ready default instance: the real upstream, credentials under the default cache dir. */
export const robocoders: RobocodersAPI = createRobocoders();
