import { randomBytes } from 'node:crypto';
import { getEventListeners } from 'node:events';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterAll, assert, beforeAll, describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  MissingAuthError,
  NetworkError,
  ProviderError,
  RequestTimeoutError,
  ResponseStatusError,
  StreamParseError,
  UnexpectedResponseError,
} from '../errors/index.js';
import { createReplicaServer, type ReplicaServer } from '../replica/replica-server.js';
import { httpRequest, toProviderError } from './http-request.js';

// Edges of httpRequest that http.test.ts leaves open: which answers are followed, how headers
// and bodies are shaped, what each error says.
let replica: ReplicaServer;
let url: string;
const noise = randomBytes(256 * 1024);
beforeAll(async () => {
  replica = await createReplicaServer({
    routes: {
      'GET /ok-with-location': () => ({ headers: { location: '/elsewhere' }, body: 'here' }),
      'GET /redirect-without-location': () => ({ status: 302, body: 'nowhere' }),
      'GET /redirect-bad-location': () => ({ status: 302, headers: { location: 'http://[' } }),
      'POST /redirect': () => ({ status: 303, headers: { location: '/elsewhere' } }),
      'GET /elsewhere': () => ({ body: 'followed' }),
      'GET /two-encodings': () => ({
        headers: { 'content-encoding': 'gzip, br' },
        body: brotliCompressSync(gzipSync('twice packed')),
      }),
      'GET /identity': () => ({ headers: { 'content-encoding': 'identity' }, body: 'plain' }),
      'GET /repeated': () => ({
        headers: { 'x-many': ['a', 'b'], 'set-cookie': 'only=1' },
        body: 'ok',
      }),
      'GET /plain': () => ({ body: 'ok' }),
      'GET /not-json': () => ({ body: `${'x'.repeat(300)}` }),
      'GET /slow-gzip': () => {
        // Random bytes do not shrink, so the gzip answer stays large and arrives in pieces.
        const packed = gzipSync(noise);
        const pieces = Array.from({ length: 64 }, (_, i) =>
          packed.subarray((i * packed.length) / 64, ((i + 1) * packed.length) / 64),
        );
        return { headers: { 'content-encoding': 'gzip' }, body: pieces, chunkDelayMs: 20 };
      },
      'GET /hang-body': () => ({
        body: (async function* () {
          yield 'start';
          await new Promise(() => undefined);
        })(),
      }),
    },
  });
  url = replica.url;
});
afterAll(() => replica.close());

const callsTo = (route: string) => replica.callsTo(route).length;

describe('httpRequest redirects', () => {
  it('returns a success that names a Location as it is', async () => {
    const response = await httpRequest(`${url}/ok-with-location`, { maxRedirects: 2 });
    expect([response.status, await response.text()]).toEqual([200, 'here']);
    expect(callsTo('GET /elsewhere')).toBe(0);
  });

  it('returns a redirect without a usable Location as it is', async () => {
    const none = await httpRequest(`${url}/redirect-without-location`, { maxRedirects: 2 });
    expect(none.status).toBe(302);
    expect(await none.text()).toBe('nowhere');
    const bad = await httpRequest(`${url}/redirect-bad-location`, { maxRedirects: 2 });
    expect(bad.status).toBe(302);
  });

  it('never follows the redirect of a POST, with or without a body', async () => {
    const named = await httpRequest(`${url}/redirect`, { method: 'POST', maxRedirects: 2 });
    expect(named.status).toBe(303);
    const byBody = await httpRequest(`${url}/redirect`, { body: 'x', maxRedirects: 2 });
    expect(byBody.status).toBe(303);
    expect(replica.callsTo('POST /redirect').map((call) => call.text)).toEqual(['', 'x']);
    expect(callsTo('GET /elsewhere')).toBe(0);
  });
});

describe('httpRequest answers', () => {
  it('names the argument at fault', async () => {
    await expect(httpRequest('ftp://x')).rejects.toThrow('url must be an absolute');
    await expect(httpRequest(`${url}/plain`, { proxy: 'x' })).rejects.toThrow(
      'options.proxy must be an absolute',
    );
  });

  it('decodes a list of encodings last first, spaces and identity ignored', async () => {
    expect(await (await httpRequest(`${url}/two-encodings`)).text()).toBe('twice packed');
    expect(await (await httpRequest(`${url}/identity`)).text()).toBe('plain');
  });

  it('joins a repeated header with ", " and lists each Set-Cookie', async () => {
    const response = await httpRequest(`${url}/repeated`);
    expect(response.headers['x-many']).toBe('a, b');
    expect(response.getSetCookie()).toEqual(['only=1']);
    expect((await httpRequest(`${url}/plain`)).getSetCookie()).toEqual([]);
  });

  it('reads a body once: a second read, or a read after cancel, is refused', async () => {
    const response = await httpRequest(`${url}/plain`);
    expect(await response.text()).toBe('ok');
    const again = await response.text().catch((e: unknown) => e);
    assert(ProviderError.isInstance(again));
    expect(again.message).toBe('The response body was already read');
    const cancelled = await httpRequest(`${url}/plain`);
    await cancelled.cancel();
    await expect(cancelled.text()).rejects.toThrow('The response body was already read');
  });

  it('closes the connection when an unread body is cancelled', async () => {
    const response = await httpRequest(`${url}/hang-body`);
    const call = replica.calls.at(-1)!;
    await response.cancel();
    await replica.waitFor(() => call.closedEarly);
  });

  it('closes the connection when the reader of a compressed body stops early', async () => {
    const response = await httpRequest(`${url}/slow-gzip`);
    const call = replica.calls.at(-1)!;
    for await (const chunk of response.body) {
      expect(chunk.byteLength).toBeGreaterThan(0);
      break;
    }
    await replica.waitFor(() => call.closedEarly);
    expect(call.finished).toBe(false);
  });

  it('reports a body that is not JSON with its first 200 characters', async () => {
    const error = await (await httpRequest(`${url}/not-json`)).json().catch((e: unknown) => e);
    assert(StreamParseError.isInstance(error));
    expect(error.kind).toBe('invalid-json');
    expect(error.message).toBe(`Expected JSON from ${url}/not-json, got: ${'x'.repeat(200)}`);
    expect(error.line).toBe('x'.repeat(300));
  });

  it("stops listening to the caller's signal once the answer is done with", async () => {
    const controller = new AbortController();
    const { signal } = controller;
    await (await httpRequest(`${url}/plain`, { signal })).text();
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    await httpRequest('http://127.0.0.1:1/', { signal }).catch(() => undefined);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  });

  it('says which wait ran out, and how long it was', async () => {
    replica.fail('GET /plain', { kind: 'hang' }, { times: 1 });
    await expect(httpRequest(`${url}/plain`, { timeout: 40 })).rejects.toThrow(
      `No response headers from ${url}/plain within 40 ms`,
    );
    // Long enough for the headers to come first on a busy machine.
    const response = await httpRequest(`${url}/hang-body`, { timeout: 400 });
    await expect(response.text()).rejects.toThrow(
      `The answer from ${url}/hang-body stalled for 400 ms`,
    );
  });

  it('leaves no body timer to fire after the body was read', async () => {
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      expect(await (await httpRequest(`${url}/plain`, { timeout: 200 })).text()).toBe('ok');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', record);
    }
  });

  it('reports a refused connection with the URL and the reason', async () => {
    const error = await httpRequest('http://127.0.0.1:1/').catch((e: unknown) => e);
    assert(NetworkError.isInstance(error));
    expect(error.message).toMatch(/^Request to http:\/\/127\.0\.0\.1:1\/ failed: \S/);
  });
});

describe('toProviderError', () => {
  const target = 'http://127.0.0.1:9/x';

  it('keeps a connect timeout as such', () => {
    const cause = Object.assign(new Error('Connect Timeout Error'), {
      code: 'UND_ERR_CONNECT_TIMEOUT',
    });
    const error = toProviderError(cause, target);
    assert(RequestTimeoutError.isInstance(error));
    expect([error.message, error.phase, error.cause]).toEqual([
      `Timed out connecting to ${target}`,
      'connect',
      cause,
    ]);
  });

  it('reads a corrupt compressed body as an unexpected answer, the cause kept', () => {
    const cause = Object.assign(new Error('incorrect header check'), { code: 'Z_DATA_ERROR' });
    const error = toProviderError(cause, target);
    assert(UnexpectedResponseError.isInstance(error));
    expect(error.message).toBe(
      `The compressed answer from ${target} is corrupt: incorrect header check`,
    );
    expect(error.cause).toBe(cause);
  });

  it('turns anything else thrown, even null, into a NetworkError', () => {
    const error = toProviderError(null, target);
    assert(NetworkError.isInstance(error));
    expect(error.message).toBe(`Request to ${target} failed: null`);
    // Only a message that starts with it is undici's answer from a proxy.
    const quoted = toProviderError(new Error('upstream said: Proxy response (407)'), target);
    assert(NetworkError.isInstance(quoted));
  });

  it('names a refusing proxy without its credentials, and says what 407 and 403 mean', () => {
    const proxy = 'http://user:secret@127.0.0.1:8/';
    const auth = toProviderError(
      new Error('Proxy response (407) !== 200'),
      target,
      undefined,
      proxy,
    );
    assert(MissingAuthError.isInstance(auth));
    expect(auth.message).toBe(
      `The proxy http://127.0.0.1:8 refused to connect to ${target} (407 Proxy Authentication Required): check the proxy's credentials`,
    );
    const forbidden = toProviderError(new Error('Proxy response (403) !== 200'), target);
    assert(MissingAuthError.isInstance(forbidden));
    expect(forbidden.message).toContain(
      `The proxy refused to connect to ${target} (403 Forbidden)`,
    );
    expect(forbidden.status).toBe(403);
  });

  it('keeps any other proxy status a retryable status error', () => {
    const cause = new Error('Proxy response (502) !== 200 when HTTP Tunneling');
    const error = toProviderError(cause, target, undefined, 'http://127.0.0.1:8');
    assert(ResponseStatusError.isInstance(error));
    expect(MissingAuthError.isInstance(error)).toBe(false);
    expect(error.message).toBe(
      `The proxy http://127.0.0.1:8 answered 502 when connecting to ${target}`,
    );
    expect([error.status, error.url, error.cause, error.isRetryable]).toEqual([
      502,
      target,
      cause,
      true,
    ]);
    const unnamed = toProviderError(cause, target);
    expect(unnamed).toHaveProperty(
      'message',
      `The proxy answered 502 when connecting to ${target}`,
    );
  });

  it("returns the caller's abort reason over any error", () => {
    const reason = new Error('stop');
    expect(toProviderError(new Error('x'), target, AbortSignal.abort(reason))).toBe(reason);
    expect(
      InvalidArgumentError.isInstance(toProviderError(new InvalidArgumentError('a'), target)),
    ).toBe(true);
  });
});
