import { afterAll, afterEach, assert, beforeAll, describe, expect, it } from 'vitest';
import { createForwardProxy } from '../../../testing/src/forward-proxy.js';
import {
  CloudflareError,
  MissingAuthError,
  NetworkError,
  RateLimitError,
  RequestTimeoutError,
  ResponseStatusError,
  UnexpectedResponseError,
} from '../errors/index.js';
import { htmlErrorPage } from '../replica/pages.js';
import { createReplicaServer, type ReplicaServer } from '../replica/replica-server.js';
import { httpRequest } from './http-request.js';
import { mediaType, raiseForStatus, rejectHtmlAnswer } from './raise-for-status.js';
import { parseRetryAfter } from './retry-after.js';

let replica: ReplicaServer;
let release: () => void = () => undefined;

beforeAll(async () => {
  replica = await createReplicaServer({
    routes: {
      'GET /text': () => ({
        headers: { 'content-type': 'text/plain' },
        body: ['one ', 'two ', 'three'],
        chunkDelayMs: 5,
      }),
      'POST /echo': (req) => ({ headers: { 'content-type': 'application/json' }, body: req.text }),
      'GET /controlled': () => ({
        body: (async function* () {
          yield 'first';
          await new Promise<void>((resolve) => {
            release = resolve;
          });
          yield 'second';
        })(),
      }),
      'GET /big': () => ({ body: Array.from({ length: 64 }, () => 'x'.repeat(16 * 1024)) }),
      'GET /steady': () => ({ body: ['a', 'b', 'c', 'd', 'e', 'f'], chunkDelayMs: 60 }),
      'GET /moved': () => ({ status: 302, headers: { location: '/text' }, body: 'Found.' }),
      'GET /loop': () => ({ status: 307, headers: { location: '/loop' }, body: '' }),
      'GET /away': () => ({
        status: 302,
        headers: { location: 'http://127.0.0.2:9/elsewhere' },
        body: 'Found. Redirecting to elsewhere',
      }),
      'POST /login-redirect': () => ({
        status: 302,
        headers: { location: '/login' },
        body: 'Found. Redirecting to /login',
      }),
      'GET /empty': () => ({ status: 204 }),
      'GET /error-stall': () => ({
        status: 500,
        body: (async function* () {
          yield 'partial error ';
          await new Promise(() => undefined);
        })(),
      }),
      'GET /cookies': () => ({
        headers: { 'set-cookie': ['a=1; Expires=Wed, 21 Oct 2037 07:28:00 GMT', 'b=2'] },
        body: 'ok',
      }),
    },
  });
});
afterEach(() => replica.clearFaults());
afterAll(() => replica.close());

async function errorOf(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

async function statusError(fault: Parameters<ReplicaServer['fail']>[1]): Promise<unknown> {
  replica.fail('GET /text', fault, { times: 1 });
  return errorOf(async () => raiseForStatus(await httpRequest(`${replica.url}/text`)));
}

describe('httpRequest', () => {
  it('streams the body in pieces and reads text', async () => {
    const response = await httpRequest(`${replica.url}/text`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/plain');
    expect(await response.text()).toBe('one two three');
  });

  it('sends a body and headers', async () => {
    const response = await httpRequest(`${replica.url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-test': 'yes' },
      body: '{"a":1}',
    });
    expect(await response.json()).toEqual({ a: 1 });
    expect(replica.calls.at(-1)!.headers['x-test']).toBe('yes');
  });

  it('hands over the first chunk before the server has finished', async () => {
    const response = await httpRequest(`${replica.url}/controlled`);
    const iterator = response.body[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(new TextDecoder().decode(first.value)).toBe('first');
    expect(replica.calls.at(-1)!.finished).toBe(false);
    release();
    const rest: string[] = [];
    for (let r = await iterator.next(); !r.done; r = await iterator.next())
      rest.push(new TextDecoder().decode(r.value));
    expect(rest.join('')).toBe('second');
  });

  it('closes the connection when the reader stops early', async () => {
    const response = await httpRequest(`${replica.url}/controlled`);
    for await (const _ of response.body) break;
    const call = replica.calls.at(-1)!;
    await replica.waitFor(() => call.closedEarly);
    release();
  });

  it('ends a hung server with a headers timeout', async () => {
    replica.fail('GET /text', { kind: 'hang' }, { times: 1 });
    const error = await errorOf(() => httpRequest(`${replica.url}/text`, { timeout: 100 }));
    assert(RequestTimeoutError.isInstance(error));
    expect(error.phase).toBe('headers');
  });

  it('ends a stalled body with a body timeout', async () => {
    replica.fail('GET /text', { kind: 'stall', afterBytes: 4 }, { times: 1 });
    const response = await httpRequest(`${replica.url}/text`, { timeout: 100 });
    const error = await errorOf(() => response.text());
    assert(RequestTimeoutError.isInstance(error));
    expect(error.phase).toBe('body');
  });

  it('reports a cut body as a NetworkError', async () => {
    replica.fail('GET /big', { kind: 'cut', afterBytes: 100 }, { times: 1 });
    const response = await httpRequest(`${replica.url}/big`);
    const error = await errorOf(() => response.text());
    assert(NetworkError.isInstance(error));
  });

  it('rethrows the abort reason untouched and closes the socket', async () => {
    replica.fail('GET /text', { kind: 'hang' }, { times: 1 });
    const controller = new AbortController();
    const pending = errorOf(() =>
      httpRequest(`${replica.url}/text`, { signal: controller.signal }),
    );
    await replica.waitFor(
      () => replica.calls.at(-1)?.path === '/text' && !replica.calls.at(-1)!.finished,
    );
    const call = replica.calls.at(-1)!;
    controller.abort(new Error('user stop'));
    expect(await pending).toHaveProperty('message', 'user stop');
    await replica.waitFor(() => call.closedEarly);
  });

  it('aborts a body being read', async () => {
    const controller = new AbortController();
    const response = await httpRequest(`${replica.url}/controlled`, { signal: controller.signal });
    const iterator = response.body[Symbol.asyncIterator]();
    await iterator.next();
    const reason = new DOMException('stop', 'AbortError');
    controller.abort(reason);
    await expect(iterator.next()).rejects.toBe(reason);
    release();
  });

  it('reports a refused connection as a NetworkError with the cause', async () => {
    const error = await errorOf(() => httpRequest('http://127.0.0.1:1/'));
    assert(NetworkError.isInstance(error));
    expect(error.cause).toBeDefined();
  });

  it('goes through a forward proxy and reports a refusing one as the proxy refusing', async () => {
    const proxy = await createForwardProxy();
    const refusing = await createForwardProxy({ refuse: true });
    try {
      const response = await httpRequest(`${replica.url}/text`, { proxy: proxy.url });
      expect(await response.text()).toBe('one two three');
      expect(proxy.requests).toEqual([`127.0.0.1:${replica.port}`]);
      const error = await errorOf(() =>
        httpRequest(`${replica.url}/text`, { proxy: refusing.url }),
      );
      assert(MissingAuthError.isInstance(error));
      expect(error.status).toBe(403);
      expect(error.isRetryable).toBe(false);
      expect(error.message).toContain(`The proxy ${refusing.url} refused`);
    } finally {
      await proxy.close();
      await refusing.close();
    }
  });

  it('reports a proxy that wants credentials (407) as MissingAuthError, and passes with them', async () => {
    const proxy = await createForwardProxy({ requireAuth: { username: 'u', password: 'p w' } });
    try {
      const error = await errorOf(() => httpRequest(`${replica.url}/text`, { proxy: proxy.url }));
      assert(MissingAuthError.isInstance(error));
      expect(error.status).toBe(407);
      expect(error.isRetryable).toBe(false);
      expect(error.message).toMatch(/^The proxy http:\/\/127\.0\.0\.1:\d+ refused .*407/);
      const withLogin = proxy.url.replace('http://', 'http://u:p%20w@');
      const wrongLogin = proxy.url.replace('http://', 'http://u:nope@');
      const wrong = await errorOf(() => httpRequest(`${replica.url}/text`, { proxy: wrongLogin }));
      assert(MissingAuthError.isInstance(wrong));
      // The password never reaches the message.
      expect(wrong.message).not.toContain('nope');
      const response = await httpRequest(`${replica.url}/text`, { proxy: withLogin });
      expect(await response.text()).toBe('one two three');
    } finally {
      await proxy.close();
    }
  });

  it('keeps its own timers: the timeout error names the limit and leaves no timer behind', async () => {
    replica.fail('GET /text', { kind: 'hang' }, { times: 1 });
    const started = Date.now();
    const error = await errorOf(() => httpRequest(`${replica.url}/text`, { timeout: 120 }));
    assert(RequestTimeoutError.isInstance(error));
    expect(error.timeoutMs).toBe(120);
    // Generous bound: undici's own timers fired at about 1,000 ms for any limit under 1 s.
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('times each wait for a chunk, not the whole body', async () => {
    // Six pieces 60 ms apart take longer than the 100 ms timeout, but no wait does.
    const response = await httpRequest(`${replica.url}/steady`, { timeout: 100 });
    expect(await response.text()).toBe('abcdef');
  });

  it('does not count a slow reader against the body timeout', async () => {
    const response = await httpRequest(`${replica.url}/text`, { timeout: 100 });
    const chunks = response.body[Symbol.asyncIterator]();
    // The first read may hold more than the first piece when the pieces arrive together.
    let text = new TextDecoder().decode((await chunks.next()).value);
    // Everything else arrives meanwhile; the reader, not the server, is slow.
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (let r = await chunks.next(); !r.done; r = await chunks.next())
      text += new TextDecoder().decode(r.value);
    expect(text).toBe('one two three');
  });
});

describe('compressed bodies', () => {
  for (const encoding of ['gzip', 'deflate', 'br', 'x-gzip']) {
    it(`decodes content-encoding ${encoding}`, async () => {
      replica.fail('GET /big', { kind: 'encoding', encoding }, { times: 1 });
      const response = await httpRequest(`${replica.url}/big`);
      expect(response.headers['content-encoding']).toBe(encoding);
      expect(await response.text()).toBe('x'.repeat(64 * 16 * 1024));
    });
  }

  it('refuses an encoding it cannot decode instead of returning the bytes as text', async () => {
    replica.fail('GET /text', { kind: 'encoding', encoding: 'zstd' }, { times: 1 });
    const response = await httpRequest(`${replica.url}/text`);
    const error = await errorOf(() => response.text());
    assert(UnexpectedResponseError.isInstance(error));
    expect(error.message).toContain('"zstd"');
    await replica.waitFor(
      () => replica.calls.at(-1)!.finished || replica.calls.at(-1)!.closedEarly,
    );
  });

  it('reports a corrupt compressed body as UnexpectedResponseError', async () => {
    replica.fail(
      'GET /text',
      {
        kind: 'status',
        status: 200,
        body: 'not gzip at all',
        headers: { 'content-encoding': 'gzip' },
      },
      { times: 1 },
    );
    const response = await httpRequest(`${replica.url}/text`);
    assert(UnexpectedResponseError.isInstance(await errorOf(() => response.text())));
  });

  it('reports a cut compressed body as a NetworkError', async () => {
    replica.fail('GET /big', { kind: 'encoding', encoding: 'gzip' }, { times: 1 });
    replica.fail('GET /big', { kind: 'cut', afterBytes: 40 }, { times: 1 });
    const response = await httpRequest(`${replica.url}/big`);
    assert(NetworkError.isInstance(await errorOf(() => response.text())));
  });

  it('keeps the status of an error answer in an unknown encoding', async () => {
    const error = await statusError({
      kind: 'status',
      status: 503,
      body: 'busy',
      headers: { 'content-encoding': 'zstd' },
    });
    assert(ResponseStatusError.isInstance(error));
    expect(error.status).toBe(503);
  });
});

describe('redirects', () => {
  it('returns a redirect unfollowed by default, and raiseForStatus names its Location', async () => {
    const response = await httpRequest(`${replica.url}/login-redirect`, {
      method: 'POST',
      body: '{}',
    });
    expect(response.status).toBe(302);
    const error = await errorOf(() => raiseForStatus(response));
    assert(ResponseStatusError.isInstance(error));
    expect(error.status).toBe(302);
    expect(error.isRetryable).toBe(false);
    expect(error.message).toContain('redirected to /login');
  });

  it('follows same-origin redirects of a GET up to maxRedirects', async () => {
    const response = await httpRequest(`${replica.url}/moved`, { maxRedirects: 2 });
    expect(response.status).toBe(200);
    expect(response.url).toBe(`${replica.url}/text`);
    expect(await response.text()).toBe('one two three');
    const looping = await httpRequest(`${replica.url}/loop`, { maxRedirects: 3 });
    expect(looping.status).toBe(307);
    expect(replica.callsTo('GET /loop').length).toBe(4);
    await looping.cancel();
  });

  it('never follows a redirect to another origin', async () => {
    const response = await httpRequest(`${replica.url}/away`, { maxRedirects: 5 });
    expect(response.status).toBe(302);
    const error = await errorOf(() => raiseForStatus(response));
    expect(error).toHaveProperty(
      'message',
      expect.stringContaining('http://127.0.0.2:9/elsewhere'),
    );
  });

  it('refuses 204 No Content where an answer was expected', async () => {
    const error = await errorOf(async () =>
      raiseForStatus(await httpRequest(`${replica.url}/empty`)),
    );
    assert(ResponseStatusError.isInstance(error));
    expect(error.status).toBe(204);
    expect(error.isRetryable).toBe(false);
  });
});

describe('readExcerpt and aborts', () => {
  it("lets the caller's abort win over the status of an error body being read", async () => {
    const controller = new AbortController();
    const response = await httpRequest(`${replica.url}/error-stall`, {
      signal: controller.signal,
    });
    const pending = errorOf(() => raiseForStatus(response));
    await new Promise((resolve) => setTimeout(resolve, 30));
    const reason = new Error('caller stopped');
    controller.abort(reason);
    expect(await pending).toBe(reason);
  });

  it('still reports the status when the error body breaks off', async () => {
    replica.fail('GET /error-stall', { kind: 'cut', afterBytes: 5 }, { times: 1 });
    const error = await errorOf(async () =>
      raiseForStatus(await httpRequest(`${replica.url}/error-stall`)),
    );
    assert(ResponseStatusError.isInstance(error));
    expect(error.status).toBe(500);
  });
});

describe('raiseForStatus', () => {
  it('lets successes through unread', async () => {
    const response = await httpRequest(`${replica.url}/text`);
    await raiseForStatus(response);
    expect(await response.text()).toBe('one two three');
  });

  it('maps 401 and 403 to MissingAuthError with the status', async () => {
    for (const status of [401, 403]) {
      const error = await statusError({ kind: 'status', status, body: 'no entry' });
      assert(MissingAuthError.isInstance(error));
      expect(error.status).toBe(status);
      expect(error.message).toBe(`Response ${status}: no entry`);
    }
  });

  it('maps 429 and 402 to RateLimitError with Retry-After in seconds or as a date', async () => {
    const seconds = await statusError({
      kind: 'status',
      status: 429,
      body: 'slow',
      headers: { 'retry-after': '3' },
    });
    assert(RateLimitError.isInstance(seconds));
    expect(seconds.retryAfterMs).toBe(3000);
    const date = new Date(Date.now() + 60_000).toUTCString();
    const dated = await statusError({
      kind: 'status',
      status: 402,
      body: '',
      headers: { 'retry-after': date },
    });
    assert(RateLimitError.isInstance(dated));
    expect(dated.status).toBe(402);
    expect(dated.retryAfterMs).toBeGreaterThan(55_000);
    expect(dated.retryAfterMs).toBeLessThanOrEqual(60_000);
    expect(dated).toHaveProperty('message', 'Response 402: Rate limit');
  });

  it('maps a challenge page to CloudflareError', async () => {
    const error = await statusError({ kind: 'cloudflare', status: 503 });
    assert(CloudflareError.isInstance(error));
    expect(error.status).toBe(503);
  });

  it('reads the JSON error message as g4f does', async () => {
    const nested = await statusError({
      kind: 'status',
      status: 500,
      contentType: 'application/json',
      body: '{"error":{"message":"model overloaded"}}',
    });
    expect(nested).toHaveProperty('message', 'Response 500: model overloaded');
    const flat = await statusError({
      kind: 'status',
      status: 400,
      contentType: 'application/json',
      body: '{"error":"invalid_request","message":"bad field"}',
    });
    expect(flat).toHaveProperty('message', 'Response 400: invalid_request: bad field');
    expect(flat).toHaveProperty('isRetryable', false);
  });

  it('names 502 Bad Gateway and hides HTML bodies', async () => {
    const gateway = await statusError({
      kind: 'status',
      status: 502,
      body: htmlErrorPage,
      contentType: 'text/html',
    });
    expect(gateway).toHaveProperty('message', 'Response 502: Bad Gateway');
    const html = await statusError({
      kind: 'status',
      status: 503,
      body: htmlErrorPage,
      contentType: 'text/html',
    });
    expect(html).toHaveProperty('message', 'Response 503: HTML content');
    expect(html).toHaveProperty('isRetryable', true);
    const unknown = await statusError({
      kind: 'status',
      status: 520,
      body: htmlErrorPage,
      contentType: 'text/html',
    });
    expect(unknown).toHaveProperty('message', 'Response 520: Unknown error (Cloudflare)');
  });

  it('keeps only an excerpt of a huge body and no secret headers', async () => {
    const error = (await statusError({
      kind: 'status',
      status: 500,
      body: 'e'.repeat(1_000_000),
      headers: { 'set-cookie': 'session=secret', 'x-request-id': 'r1' },
    })) as ResponseStatusError;
    expect(error.bodyExcerpt.length).toBe(500);
    expect(error.message.length).toBeLessThan(600);
    expect(error.responseHeaders['x-request-id']).toBe('r1');
    expect(error.responseHeaders['set-cookie']).toBeUndefined();
    expect(error.url).toBe(`${replica.url}/text`);
  });
});

describe('getSetCookie and rejectHtmlAnswer', () => {
  it('keep Set-Cookie headers apart', async () => {
    const response = await httpRequest(`${replica.url}/cookies`);
    expect(response.getSetCookie()).toEqual(['a=1; Expires=Wed, 21 Oct 2037 07:28:00 GMT', 'b=2']);
    await response.cancel();
  });

  it('refuse a 200 HTML page and let other answers through', async () => {
    replica.fail('GET /text', { kind: 'cloudflare', status: 200 }, { times: 1 });
    const challenge = await errorOf(async () =>
      rejectHtmlAnswer(await httpRequest(`${replica.url}/text`)),
    );
    assert(CloudflareError.isInstance(challenge));
    replica.fail(
      'GET /text',
      { kind: 'status', status: 200, body: htmlErrorPage, contentType: 'text/html' },
      { times: 1 },
    );
    const page = await errorOf(async () =>
      rejectHtmlAnswer(await httpRequest(`${replica.url}/text`)),
    );
    expect(page).toHaveProperty('message', 'Response 200: HTML content');
    // Media types are case-insensitive and their parameters do not matter.
    replica.fail(
      'GET /text',
      {
        kind: 'status',
        status: 200,
        body: '<p>login</p>',
        contentType: 'Text/HTML; Charset=UTF-8',
      },
      { times: 1 },
    );
    const upper = await errorOf(async () =>
      rejectHtmlAnswer(await httpRequest(`${replica.url}/text`)),
    );
    expect(upper).toHaveProperty('message', 'Response 200: HTML content');
    const text = await httpRequest(`${replica.url}/text`);
    await rejectHtmlAnswer(text);
    expect(await text.text()).toBe('one two three');
  });
});

describe('mediaType', () => {
  it('lower-cases the type and drops its parameters', () => {
    expect(mediaType({ 'content-type': ' Application/JSON ; charset=UTF-8' })).toBe(
      'application/json',
    );
    expect(mediaType({ 'content-type': 'Text/HTML' })).toBe('text/html');
    expect(mediaType({})).toBe('');
  });
});

describe('parseRetryAfter', () => {
  it('prefers retry-after-ms, then seconds, then a date, else undefined', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter({ 'retry-after-ms': '1500', 'retry-after': '9' }, now)).toBe(1500);
    expect(parseRetryAfter({ 'retry-after': '2' }, now)).toBe(2000);
    expect(parseRetryAfter({ 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }, now)).toBe(30_000);
    expect(parseRetryAfter({ 'retry-after': 'Wed, 31 Dec 2025 00:00:00 GMT' }, now)).toBe(0);
    expect(parseRetryAfter({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(parseRetryAfter({}, now)).toBeUndefined();
  });
});
