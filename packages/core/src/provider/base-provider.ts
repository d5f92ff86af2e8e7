import type { Chunk } from '../chunks.js';
import { ModelNotSupportedError } from '../errors/model-not-supported-error.js';
import { InvalidArgumentError } from '../errors/usage-errors.js';
import { type HttpResponse, httpRequest } from '../http/http-request.js';
import { checkHttpUrl, checkTransport } from '../http/validate.js';
import type { Messages } from '../messages.js';
import { joinUrl, transportOptions } from './call-options.js';
import type { CreateOptions, Provider, ProviderSettings } from './provider.js';

const ROLES = new Set(['system', 'user', 'assistant', 'tool']);

/** What one request of a provider sends, besides the URL and the transport options. */
export interface ProviderRequestInit {
  /** Default `GET`, or `POST` when a body is given. */
  method?: 'GET' | 'POST';
  /** The provider's own headers; the settings' headers are merged over them. */
  headers?: Record<string, string>;
  /** Headers of this one call that win even over the settings' (e.g. fresh per-call cookies). */
  callHeaders?: Record<string, string>;
  body?: string | Uint8Array;
  /**
   * Same-origin redirects of a `GET` to follow (default 0), for a page a browser would load;
   * an answer route leaves it out, so a redirect there is an error.
   */
  maxRedirects?: number;
}

/** The parts of a call that decide how its requests travel. */
export type CallTransport = Pick<CreateOptions, 'proxy' | 'signal' | 'timeout'>;

/**
 * Base class of every provider. It keeps the settings (checked at construction), resolves
 * the upstream origin with one rule (`settings.baseUrl`, else `defaultBaseUrl`, else `url`),
 * sends requests with the settings' headers and transport applied, and gives g4f's
 * `ProviderModelMixin` behaviour: `getModel` resolves aliases and the default, and lists the
 * known models when a name is unknown. Subclasses set the metadata and write the protocol.
 */
export abstract class BaseProvider<
  Options extends CreateOptions = CreateOptions,
  Settings extends ProviderSettings = ProviderSettings,
> implements Provider<Options>
{
  abstract readonly name: string;
  abstract readonly label: string;
  abstract readonly url: string;
  readonly working: boolean = false;
  readonly needsAuth: boolean = false;
  readonly supportsStream: boolean = true;
  readonly supportsSystemMessage: boolean = false;
  readonly supportsMessageHistory: boolean = false;
  readonly defaultModel: string = '';
  readonly models: readonly string[] = [];
  readonly modelAliases: Readonly<Record<string, string>> = {};
  readonly imageModels: readonly string[] = [];

  /** The settings this instance was built with. */
  protected readonly settings: Settings;
  /** The API origin when it is not `url` (a home page or docs page); else leave undefined. */
  protected readonly defaultBaseUrl: string | undefined = undefined;

  /**
   * Keeps `settings` after checking them: a `baseUrl` or `proxy` that is not an http(s) URL,
   * or a `timeout` that is not above 0, is an `InvalidArgumentError` here. Never touches the
   * network.
   */
  constructor(settings?: Settings) {
    const kept = settings ?? ({} as Settings);
    if (kept.baseUrl !== undefined) checkHttpUrl(kept.baseUrl, 'settings.baseUrl');
    checkTransport(kept, 'settings');
    this.settings = kept;
  }

  /** Where requests go: `settings.baseUrl`, else the upstream origin. */
  protected get baseUrl(): string {
    return this.settings.baseUrl ?? this.defaultBaseUrl ?? this.url;
  }

  /**
   * Sends one request to `path` under {@link baseUrl}: the provider's headers, then the
   * settings' headers over them, then the call's own `callHeaders`, with the call's proxy, timeout and signal (else the
   * settings'). Resolves when the headers arrive.
   */
  protected request(
    path: string,
    init: ProviderRequestInit,
    call: CallTransport,
  ): Promise<HttpResponse> {
    const { callHeaders, ...rest } = init;
    return httpRequest(joinUrl(this.baseUrl, path), {
      ...rest,
      headers: { ...init.headers, ...this.settings.headers, ...callHeaders },
      ...transportOptions(this.settings, call),
    });
  }

  getModel(name?: string): string {
    if (!name) return this.defaultModel;
    const alias = this.modelAliases[name];
    if (alias !== undefined) return alias;
    const known = this.models.length > 0 ? this.models : [this.defaultModel];
    if (known.includes(name) || this.imageModels.includes(name)) return name;
    if (this.models.length === 0 && this.imageModels.length === 0) return name;
    throw new ModelNotSupportedError(name, this.label, [
      ...new Set([...known, ...this.imageModels, ...Object.keys(this.modelAliases)]),
    ]);
  }

  abstract createAsyncGenerator(options: Options): AsyncGenerator<Chunk, void, undefined>;
}

/**
 * Checks a call before anything is sent: `messages` is a non-empty list of `{ role, content }`
 * with a known role and string content, and the call's `proxy` and `timeout` can work.
 * Throws `InvalidArgumentError` otherwise.
 */
export function validateCreateOptions(options: CreateOptions): void {
  validateMessages(options.messages);
  checkTransport(options, 'options');
}

/**
 * Checks that `messages` is a non-empty list of `{ role, content }` with a known role and
 * string content (plus `tool_calls` only on assistant messages, and `tool_call_id` on every
 * `tool` message), so a bad call fails before any request is sent.
 */
export function validateMessages(messages: unknown): asserts messages is Messages {
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new InvalidArgumentError('messages must be a non-empty array');
  }
  messages.forEach((message: unknown, index) => {
    const m = message as {
      role?: unknown;
      content?: unknown;
      tool_calls?: unknown;
      tool_call_id?: unknown;
    } | null;
    if (typeof m !== 'object' || m === null || !ROLES.has(m.role as string)) {
      throw new InvalidArgumentError(
        `messages[${index}].role must be one of system, user, assistant, tool`,
      );
    }
    if (typeof m.content !== 'string') {
      throw new InvalidArgumentError(`messages[${index}].content must be a string`);
    }
    if (m.tool_calls !== undefined && (m.role !== 'assistant' || !Array.isArray(m.tool_calls))) {
      throw new InvalidArgumentError(
        `messages[${index}].tool_calls must be an array on an assistant message`,
      );
    }
    if (m.role === 'tool' && typeof m.tool_call_id !== 'string') {
      throw new InvalidArgumentError(`messages[${index}].tool_call_id must be a string`);
    }
  });
}
