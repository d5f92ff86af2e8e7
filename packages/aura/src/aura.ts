import {
  BaseProvider,
  type Chunk,
  type CreateOptions,
  cookieHeader,
  getSystemPrompt,
  type ProviderSettings,
  readTextAnswer,
  validateCreateOptions,
} from '@g4f/core';

/** Cookies and headers for a call, as g4f took them from a browser session. */
export interface AuraRequestArgs {
  cookies?: Record<string, string>;
  headers?: Record<string, string>;
}

/** Options of one Aura call. */
export interface AuraOptions extends CreateOptions {
  /** Sampling temperature; default 0.5. */
  temperature?: number;
  /** Sent as the model's `tokenLimit`; default 8192. */
  maxTokens?: number;
}

/** Settings of an {@link Aura} instance. */
export interface AuraSettings extends ProviderSettings {
  /** Cookies sent with every request, e.g. a `cf_clearance` copied from a browser. */
  cookies?: Record<string, string>;
  /**
   * Called before each request for fresh cookies and headers (g4f opened a browser for
   * these); its values override `cookies` and `headers`.
   */
  getRequestArgs?: () => AuraRequestArgs | Promise<AuraRequestArgs>;
}

/** The model object OpenChat's UI sent; the caller's model name is not used. */
const MODEL = { id: 'openchat_3.6', name: 'OpenChat 3.6 (latest)', maxLength: 24576 };

/**
 * g4f's browser-like default headers (Chrome on Windows), without `accept-encoding`: undici's
 * `request` does not decompress, so advertising gzip would hand the caller compressed bytes.
 */
const BROWSER_HEADERS: Record<string, string> = {
  accept: '*/*',
  'accept-language': 'en-US',
  'sec-ch-ua': '"Chromium";v="136", "Google Chrome";v="136", "Not.A/Brand";v="99"',
  'sec-ch-ua-mobile': '?0',
  'sec-ch-ua-platform': '"Windows"',
  'sec-fetch-dest': 'empty',
  'sec-fetch-mode': 'cors',
  'sec-fetch-site': 'same-origin',
  'user-agent':
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/136.0.0.0 Safari/537.36',
};

/**
 * Aura, OpenChat's chat site (openchat.team): a chatbot-ui style JSON body with system messages
 * moved into `prompt`, answered with raw streamed text. g4f marks it not working.
 */
export class Aura extends BaseProvider<AuraOptions, AuraSettings> {
  readonly name = 'Aura';
  readonly label = 'Aura';
  readonly url = 'https://openchat.team';
  override readonly working = false;
  override readonly defaultModel = MODEL.id;

  async *createAsyncGenerator(options: AuraOptions): AsyncGenerator<Chunk, void, undefined> {
    validateCreateOptions(options);
    // `getRequestArgs` runs at call time, so each call can bring fresh cookies.
    const args = (await this.settings.getRequestArgs?.()) ?? {};
    const body = {
      model: { ...MODEL, tokenLimit: options.maxTokens ?? 8192 },
      messages: options.messages.filter((message) => message.role !== 'system'),
      key: '',
      prompt: getSystemPrompt(options.messages),
      temperature: options.temperature ?? 0.5,
    };
    const response = await this.request(
      '/api/chat',
      {
        method: 'POST',
        headers: {
          ...BROWSER_HEADERS,
          referer: this.baseUrl,
          'content-type': 'application/json',
        },
        callHeaders: { ...args.headers, ...cookieHeader(this.settings.cookies, args.cookies) },
        body: JSON.stringify(body),
      },
      options,
    );
    yield* readTextAnswer(response, this.label);
  }
}

/** Builds an {@link Aura} provider with the given settings. */
export function createAura(settings: AuraSettings = {}): Aura {
  return new Aura(settings);
}

/** A ready default instance talking to the real upstream. */
export const aura: Aura = createAura();
