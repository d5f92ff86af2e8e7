import { pipeline, type Readable, type Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { type Dispatcher, request } from 'undici';
import { MissingAuthError } from '../errors/missing-auth-error.js';
import { ProviderError } from '../errors/provider-error.js';
import { ResponseStatusError } from '../errors/response-status-error.js';
import { StreamParseError } from '../errors/stream-parse-error.js';
import { NetworkError, RequestTimeoutError } from '../errors/transport-errors.js';
import { UnexpectedResponseError } from '../errors/unexpected-response-error.js';
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
  /**
   * Same-origin redirects (301, 302, 303, 307, 308) of a `GET` to follow, as a browser loading
   * the page would; default 0: the 3xx answer is returned as is. A redirect to another origin is
   * never followed (the request's cookies and credentials must not leave their origin): the 3xx
   * answer is returned, for `raiseForStatus` to report with its `Location`.
   */
  maxRedirects?: number;
}

/** An answer whose body has not been read yet. */
export interface HttpResponse {
  readonly url: string;
  readonly status: number;
  /** Lower-case names; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  /** Every `Set-Cookie` header, unjoined (their dates contain commas). */
  getSetCookie(): string[];
  /**
   * The body as it arrives, decoded from `content-encoding` gzip, deflate or br (the headers
   * still name the encoding); an encoding it cannot decode is an `UnexpectedResponseError` when
   * the body is read. Errors come out as `ProviderError`s or the abort reason.
   */
  readonly body: AsyncIterable<Uint8Array>;
  /** Reads the whole body as UTF-8 text. */
  text(): Promise<string>;
  /** Reads the whole body as JSON; bad JSON is a `StreamParseError`. */
  json(): Promise<unknown>;
  /** Stops reading and closes the connection if the body was not finished. */
  cancel(): Promise<void>;
}

type UndiciBody = Awaited<ReturnType<typeof request>>['body'];

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * Sends one request through undici and returns as soon as the headers arrive. The body is
 * only ever read as a stream unless the caller asks for `text()` or `json()`. A URL, proxy or
 * timeout that cannot work is an `InvalidArgumentError` before anything is sent.
 *
 * The timeout is kept by this function's own timers, not undici's (whose timers tick about
 * once a second, so 100 ms fired after about 1 s): one for the headers, and one re-armed for
 * each wait on the next body chunk while the body is being read.
 */
export async function httpRequest(
  url: string,
  options: HttpRequestOptions = {},
): Promise<HttpResponse> {
  options.signal?.throwIfAborted();
  checkHttpUrl(url, 'url');
  checkTransport(options, 'options');
  const maxRedirects = options.maxRedirects ?? 0;
  let target = url;
  for (let hop = 0; ; hop++) {
    const response = await sendOnce(target, options);
    const location = response.headers.location;
    if (
      !REDIRECTS.has(response.status) ||
      location === undefined ||
      hop >= maxRedirects ||
      (options.method ?? 'GET') !== 'GET' ||
      options.body !== undefined
    )
      return response;
    let next: URL;
    try {
      next = new URL(location, target);
    } catch {
      return response;
    }
    if (next.origin !== new URL(target).origin) return response;
    await response.cancel();
    target = next.href;
  }
}

async function sendOnce(url: string, options: HttpRequestOptions): Promise<HttpResponse> {
  const { signal } = options;
  const timeout = options.timeout ?? DEFAULT_TIMEOUT;
  // undici gets our own signal: the caller's abort is forwarded with its reason, and the
  // headers timer aborts it with a RequestTimeoutError.
  // undici rejects with the signal's reason, so the timer's error comes out as it is.
  const controller = new AbortController();
  // Stryker disable next-line OptionalChaining: only a signal calls forward, so it is set.
  const forward = (): void => controller.abort(signal?.reason);
  signal?.addEventListener('abort', forward);
  const release = (): void => signal?.removeEventListener('abort', forward);
  const timer = setTimeout(() => {
    controller.abort(
      new RequestTimeoutError(`No response headers from ${url} within ${timeout} ms`, {
        phase: 'headers',
        timeoutMs: timeout,
      }),
    );
  }, timeout);
  timer.unref();
  let answer: Awaited<ReturnType<typeof request>>;
  try {
    answer = await request(url, {
      // undici sends GET when no method is named.
      method: options.method ?? (options.body === undefined ? undefined : 'POST'),
      headers: options.headers,
      body: options.body,
      signal: controller.signal,
      dispatcher: getDispatcher(options),
      // 0 turns undici's coarse timers off: ours keep the timeout.
      headersTimeout: 0,
      bodyTimeout: 0,
    });
  } catch (error) {
    release();
    throw toProviderError(error, url, signal, options.proxy);
  } finally {
    clearTimeout(timer);
  }
  return wrapResponse(url, answer, { signal, timeout, release });
}

interface BodyContext {
  signal: AbortSignal | undefined;
  timeout: number;
  /** Stops forwarding the caller's abort; called once the body is done with. */
  release: () => void;
}

/**
 * The decoder for a `content-encoding`, applied in reverse order of the list; `undefined` for
 * none or `identity`, a string naming the first encoding it cannot decode otherwise.
 */
function decoders(encoding: string | undefined): Transform[] | string {
  const names = (encoding ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== '' && name !== 'identity')
    .reverse();
  const out: Transform[] = [];
  for (const name of names) {
    if (name === 'gzip' || name === 'x-gzip') out.push(createGunzip());
    else if (name === 'deflate') out.push(createInflate());
    else if (name === 'br') out.push(createBrotliDecompress());
    else return name;
  }
  return out;
}

function wrapResponse(
  url: string,
  answer: Awaited<ReturnType<typeof request>>,
  context: BodyContext,
): HttpResponse {
  const { statusCode: status, headers: rawHeaders, body: raw } = answer;
  const { signal, timeout } = context;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(rawHeaders)) {
    headers[name.toLowerCase()] = [value ?? []].flat().join(', ');
  }
  const setCookies = [rawHeaders['set-cookie'] ?? []].flat();
  const chain = decoders(headers['content-encoding']);
  let used = false;
  // Destroying the raw body also ends the decoders: the pipeline tears every stage down.
  const close = (): void => {
    context.release();
    discard(raw);
  };
  async function* iterate(): AsyncGenerator<Uint8Array, void, undefined> {
    let stall: StallTimer | undefined;
    if (used) throw new ProviderError('The response body was already read');
    used = true;
    try {
      if (typeof chain === 'string') {
        throw new UnexpectedResponseError(
          `The answer from ${url} is encoded as ${JSON.stringify(chain)}, which cannot be decoded`,
        );
      }
      let source: Readable = raw;
      const last = chain.at(-1);
      if (last) {
        // pipeline passes a failure of any stage (a cut socket) on to the last one, read here.
        pipeline([raw, ...chain], () => undefined);
        source = last;
      }
      const chunks = source[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
      stall = new StallTimer(timeout, () => {
        return new RequestTimeoutError(`The answer from ${url} stalled for ${timeout} ms`, {
          phase: 'body',
          timeoutMs: timeout,
        });
      });
      for (;;) {
        const next = await stall.wait(chunks.next());
        if (next.done) return;
        yield next.value;
      }
    } catch (error) {
      throw toProviderError(error, url, signal);
    } finally {
      stall?.stop();
      // Leaving early (break, throw, abort) must close the socket, not leave it draining.
      close();
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
      close();
    },
  };
}

/**
 * The body's stall timeout: a wait for the next chunk fails when nothing comes within `timeout`
 * ms. Only the waits count, so a slow consumer never trips it. One Node timer serves the whole
 * body: a chunk only notes when the next wait began, and the timer, when it fires early for a
 * later wait, sets itself again for what is left, so a long answer costs no timer per chunk.
 */
class StallTimer {
  #timer: NodeJS.Timeout | undefined;
  #waitStarted = 0;
  #reject: ((error: unknown) => void) | undefined;

  constructor(
    private readonly timeout: number,
    private readonly error: () => RequestTimeoutError,
  ) {}

  /** `next`, or the timeout's error when it has not settled within `timeout` ms. */
  wait<T>(next: Promise<T>): Promise<T> {
    this.#waitStarted = performance.now();
    // Stryker disable next-line ConditionalExpression: a timer per wait fails the same waits, only slower.
    if (this.#timer === undefined) this.#arm(this.timeout);
    return new Promise<T>((resolve, reject) => {
      this.#reject = reject;
      next.then(
        (value) => {
          this.#reject = undefined;
          resolve(value);
        },
        (error: unknown) => {
          this.#reject = undefined;
          reject(error);
        },
      );
    });
  }

  // Stryker disable next-line BlockStatement: a left timer is unref'd and finds no wait; this only frees it early.
  stop(): void {
    clearTimeout(this.#timer);
  }

  #arm(ms: number): void {
    this.#timer = setTimeout(this.#fire, ms);
    this.#timer.unref();
  }

  #fire = (): void => {
    this.#timer = undefined;
    // Not waiting: the next wait sets the timer again.
    if (!this.#reject) return;
    const left = this.#waitStarted + this.timeout - performance.now();
    // Stryker disable next-line EqualityOperator: at exactly 0 left, failing now or in 0 ms is the same.
    if (left > 0) {
      this.#arm(left);
      return;
    }
    const reject = this.#reject;
    this.#reject = undefined;
    reject(this.error());
  };
}

/**
 * Destroys an unfinished body, which closes its socket. undici then emits an `AbortError`
 * on the stream; with nobody listening that would be an uncaught exception in the caller's
 * process, so a listener is attached first.
 */
function discard(raw: UndiciBody): void {
  // A body that has ended is not aborted by destroy(), so its connection stays reusable.
  raw.on('error', () => undefined);
  raw.destroy();
}

/**
 * Turns whatever undici threw into a typed error: the caller's abort reason untouched,
 * timeouts as `RequestTimeoutError`, a proxy that refused the tunnel (407, 403) as
 * `MissingAuthError`, a body that does not decompress as `UnexpectedResponseError`, every other
 * transport failure as a retryable `NetworkError` with undici's error as `cause`.
 */
export function toProviderError(
  error: unknown,
  url: string,
  signal?: AbortSignal,
  proxy?: string,
): unknown {
  if (signal?.aborted) return signal.reason;
  if (ProviderError.isInstance(error)) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const detail = error instanceof Error ? error.message : String(error);
  const proxyStatus = /^Proxy response \((\d{3})\)/.exec(detail)?.[1];
  if (proxyStatus !== undefined) return proxyError(Number(proxyStatus), url, proxy, error);
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new RequestTimeoutError(`Timed out connecting to ${url}`, {
        phase: 'connect',
        cause: error,
      });
    case 'Z_DATA_ERROR':
      return new UnexpectedResponseError(
        `The compressed answer from ${url} is corrupt: ${detail}`,
        { cause: error },
      );
    default:
      return new NetworkError(`Request to ${url} failed: ${detail}`, { cause: error });
  }
}

/**
 * A proxy that answered the tunnel request with an error. 407 and 403 mean it wants (other)
 * credentials: not retryable, and said to be the proxy's doing, since the upstream never saw
 * the request. Other statuses (a proxy's 502) stay retryable.
 */
function proxyError(status: number, url: string, proxy: string | undefined, cause: unknown) {
  // A proxy given as a dispatcher has no URL to name.
  const where = proxy ? ` ${new URL(proxy).origin}` : '';
  if (status === 407 || status === 403) {
    return new MissingAuthError(
      `The proxy${where} refused to connect to ${url} (${status} ${status === 407 ? 'Proxy Authentication Required' : 'Forbidden'}): check the proxy's credentials`,
      { status, url, cause },
    );
  }
  return new ResponseStatusError(`The proxy${where} answered ${status} when connecting to ${url}`, {
    status,
    url,
    cause,
  });
}
