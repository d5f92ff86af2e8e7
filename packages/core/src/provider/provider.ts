import type { Dispatcher } from 'undici';
import type { Chunk } from '../chunks.js';
import type { Messages } from '../messages.js';

/** What every call to a provider accepts; providers add their own options on top. */
export interface CreateOptions {
  /** Model name or alias; empty means the provider's default. */
  model?: string;
  /** The conversation, oldest first. */
  messages: Messages;
  /**
   * HTTP(S) proxy URL for this call, e.g. `http://127.0.0.1:8080`; anything else is an
   * `InvalidArgumentError` before a request is sent.
   */
  proxy?: string;
  /** Ends the request and the generator; the generator then throws `signal.reason`. */
  signal?: AbortSignal;
  /**
   * Longest wait in milliseconds for the answer's headers, and again between two body chunks
   * (g4f's per-chunk `stream_timeout`). Not a limit on the whole answer. While the call waits
   * for a step shared with other calls (a page load, a login), it bounds that wait. Must be
   * above 0: `0` is refused (`InvalidArgumentError`), not read as "no limit".
   */
  timeout?: number;
}

/** Read-only facts about a provider, named as in g4f. */
export interface ProviderMetadata {
  /**
   * g4f's name for the provider: its Python class name (`Acytoo`, `RobocodersAPI`). Set as a
   * literal, not read from `constructor.name`, so minifiers cannot change it; the client looks
   * providers up by it.
   */
  readonly name: string;
  /** Human-readable name (g4f `label`, else the class name). */
  readonly label: string;
  /** Home page of the upstream service. */
  readonly url: string;
  /** Whether g4f last recorded the upstream as answering. */
  readonly working: boolean;
  /** Whether the caller must supply credentials. */
  readonly needsAuth: boolean;
  /** Whether answers arrive in several chunks. */
  readonly supportsStream: boolean;
  /** Whether system messages are honoured. */
  readonly supportsSystemMessage: boolean;
  /** Whether earlier turns are sent along. */
  readonly supportsMessageHistory: boolean;
  /** Model used when the caller names none. */
  readonly defaultModel: string;
  /** Every model the provider knows, the default included. */
  readonly models: readonly string[];
  /** Alias to model name. */
  readonly modelAliases: Readonly<Record<string, string>>;
  /** Models that produce images, where the provider has any. */
  readonly imageModels: readonly string[];
}

/** A g4f provider: metadata plus one streaming method. */
export interface Provider<Options extends CreateOptions = CreateOptions> extends ProviderMetadata {
  /** Resolves an alias or the default; throws `ModelNotSupportedError` for unknown names. */
  getModel(name?: string): string;
  /** Streams the answer as text deltas and typed chunks. */
  createAsyncGenerator(options: Options): AsyncGenerator<Chunk, void, undefined>;
}

/**
 * Settings every provider class takes at construction; none touches the network. The
 * constructor checks them and throws `InvalidArgumentError` for a `baseUrl` or `proxy` that is
 * not an absolute http(s) URL, or a `timeout` that is not above 0.
 */
export interface ProviderSettings {
  /** Replaces the upstream origin, e.g. a replica's URL or a mirror. */
  baseUrl?: string;
  /** HTTP(S) proxy URL used when a call names none. */
  proxy?: string;
  /** Headers added to (and overriding) the provider's own. */
  headers?: Record<string, string>;
  /** undici dispatcher for every request (takes precedence over `proxy`). */
  dispatcher?: Dispatcher;
  /** Default for {@link CreateOptions.timeout}, in milliseconds. */
  timeout?: number;
}
