import type { ProviderMetadata } from '@g4f/core';
import type { ServerClient } from './client-shape.js';

/** Where and how `createApp` serves a client. */
export interface AppOptions {
  /** The `@g4f/client` `Client` (or any object of its shape) that answers the requests. */
  client: ServerClient;
  /**
   * The providers handed to the client, for `/v1/providers` and `/api/{provider}/models`.
   * Default: the client's own `providers` list, when it exposes one.
   */
  providers?: readonly ProviderMetadata[];
  /**
   * Required key, as `Authorization: Bearer <key>` or `g4f-api-key: <key>`, on every route but
   * `/health`. Unset: no key is asked for.
   */
  apiKey?: string;
  /** CORS: `true` allows any origin, a string or list allows those origins. Default off. */
  cors?: boolean | string | readonly string[];
  /** Largest accepted request body in bytes. Default 1 MiB. */
  bodyLimit?: number;
  /**
   * Let a request set `proxy` or `api_base`. Off by default: otherwise any caller could make the
   * server fetch an address of its choosing.
   */
  allowRequestProxy?: boolean;
  /** Streaming answers served at once; one more gets 503. Default 256. */
  maxConcurrentStreams?: number;
  /** Called once per answered request; never given headers or keys. */
  logger?: (entry: RequestLogEntry) => void;
}

/** One line of the request log. */
export interface RequestLogEntry {
  method: string;
  route: string;
  status: number;
  durationMs: number;
  /** `ErrorClass: message` for failures. */
  error?: string;
}

/** Options of `startServer`: the app's plus where to listen and how to stop. */
export interface ServerOptions extends AppOptions {
  /** Interface to bind. Default `127.0.0.1`. */
  host?: string;
  /** Port; `0` picks a free one. Default 1337 (g4f's). */
  port?: number;
  /** How long `close()` lets open answers finish before ending them, in ms. Default 10,000. */
  shutdownTimeout?: number;
  /** Longest wait for a request's headers, in ms (slow-loris guard). Default 10,000. */
  headersTimeout?: number;
  /** Longest wait for a whole request, headers and body, in ms. Default 30,000. */
  requestTimeout?: number;
}
