import { type Dispatcher, request } from 'undici';
import { ProviderError } from '../errors/provider-error.js';
import { StreamParseError } from '../errors/stream-parse-error.js';
import { NetworkError, RequestTimeoutError } from '../errors/transport-errors.js';
import { decodeTextStream } from '../stream/text.js';
import { getDispatcher } from './dispatcher.js';
import { checkHttpUrl, checkTransport } from './validate.js';

/** Default wait for headers and between body chunks: g4f's common 120 s. */
export const DEFAULT_TIMEOUT = 120_000;

/** Options of {@link httpRequest}. */
export interface HttpRequestOptions {
  /** Default `GET`, or `POST` when a body is given. */
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** HTTP(S) proxy URL; ignored when `dispatcher` is given. */
  proxy?: string;
  /** undici dispatcher to send through. */
  dispatcher?: Dispatcher;
  /** Ends the request; the promise or the body iteration then rejects with `signal.reason`. */
  signal?: AbortSignal;
  /**
   * Longest wait for the headers and between two body chunks, in ms (default 120,000). Must be
   * above 0: `0` is refused with `InvalidArgumentError`, not read as "no limit".
   */
  timeout?: number;
}

/** An answer whose body has not been read yet. */
export interface HttpResponse {
  readonly url: string;
  readonly status: number;
  /** Lower-case names; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  /** Every `Set-Cookie` header, unjoined (their dates contain commas). */
  getSetCookie(): string[];
  /** The body as it arrives; errors come out as `ProviderError`s or the abort reason. */
  readonly body: AsyncIterable<Uint8Array>;
  /** Reads the whole body as UTF-8 text. */
  text(): Promise<string>;
  /** Reads the whole body as JSON; bad JSON is a `StreamParseError`. */
  json(): Promise<unknown>;
  /** Stops reading and closes the connection if the body was not finished. */
  cancel(): Promise<void>;
}

type UndiciBody = Awaited<ReturnType<typeof request>>['body'];

/**
 * Sends one request through undici and returns as soon as the headers arrive. The body is
 * only ever read as a stream unless the caller asks for `text()` or `json()`. A URL, proxy or
 * timeout that cannot work is an `InvalidArgumentError` before anything is sent.
 */
export async function httpRequest(
  url: string,
  options: HttpRequestOptions = {},
): Promise<HttpResponse> {
  const { signal } = options;
  signal?.throwIfAborted();
  checkHttpUrl(url, 'url');
  checkTransport(options, 'options');
  const timeout = options.timeout ?? DEFAULT_TIMEOUT;
  let answer: Awaited<ReturnType<typeof request>>;
  try {
    answer = await request(url, {
      method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
      headers: options.headers,
      body: options.body,
      signal,
      dispatcher: getDispatcher(options),
      headersTimeout: timeout,
      bodyTimeout: timeout,
    });
  } catch (error) {
    throw toProviderError(error, url, signal, timeout);
  }
  return wrapResponse(url, answer.statusCode, answer.headers, answer.body, signal, timeout);
}

function wrapResponse(
  url: string,
  status: number,
  rawHeaders: Record<string, string | string[] | undefined>,
  raw: UndiciBody,
  signal: AbortSignal | undefined,
  timeout: number,
): HttpResponse {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(rawHeaders)) {
    if (value !== undefined)
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  const setCookie = rawHeaders['set-cookie'];
  const setCookies =
    setCookie === undefined ? [] : Array.isArray(setCookie) ? setCookie : [setCookie];
  let used = false;
  async function* iterate(): AsyncGenerator<Uint8Array, void, undefined> {
    if (used) throw new ProviderError('The response body was already read');
    used = true;
    try {
      for await (const chunk of raw) yield chunk as Uint8Array;
    } catch (error) {
      throw toProviderError(error, url, signal, timeout);
    } finally {
      // Leaving early (break, throw, abort) must close the socket, not leave it draining.
      discard(raw);
    }
  }
  const text = async (): Promise<string> => {
    let out = '';
    for await (const piece of decodeTextStream(iterate())) out += piece;
    return out;
  };
  return {
    url,
    status,
    headers,
    getSetCookie: () => [...setCookies],
    body: { [Symbol.asyncIterator]: iterate },
    text,
    async json() {
      const body = await text();
      try {
        return JSON.parse(body) as unknown;
      } catch (cause) {
        throw new StreamParseError(`Expected JSON from ${url}, got: ${body.slice(0, 200)}`, {
          kind: 'invalid-json',
          line: body,
          cause,
        });
      }
    },
    async cancel() {
      used = true;
      discard(raw);
    },
  };
}

/**
 * Destroys an unfinished body, which closes its socket. undici then emits an `AbortError`
 * on the stream; with nobody listening that would be an uncaught exception in the caller's
 * process, so a listener is attached first.
 */
function discard(raw: UndiciBody): void {
  if (raw.readableEnded || raw.destroyed) return;
  raw.on('error', () => undefined);
  raw.destroy();
}

/**
 * Turns whatever undici threw into a typed error: the caller's abort reason untouched,
 * timeouts as `RequestTimeoutError`, every other transport failure as a retryable
 * `NetworkError` with undici's error as `cause`.
 */
export function toProviderError(
  error: unknown,
  url: string,
  signal?: AbortSignal,
  timeout?: number,
): unknown {
  if (signal?.aborted) return signal.reason;
  if (ProviderError.isInstance(error)) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const detail = error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new RequestTimeoutError(`Timed out connecting to ${url}`, {
        phase: 'connect',
        cause: error,
      });
    case 'UND_ERR_HEADERS_TIMEOUT':
      return new RequestTimeoutError(`No response headers from ${url} within ${timeout} ms`, {
        phase: 'headers',
        timeoutMs: timeout,
        cause: error,
      });
    case 'UND_ERR_BODY_TIMEOUT':
      return new RequestTimeoutError(`The answer from ${url} stalled for ${timeout} ms`, {
        phase: 'body',
        timeoutMs: timeout,
        cause: error,
      });
    default:
      return new NetworkError(`Request to ${url} failed: ${detail}`, { cause: error });
  }
}
