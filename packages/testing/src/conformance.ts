import {
  type Chunk,
  CloudflareError,
  type CreateOptions,
  collectChunks,
  InvalidArgumentError,
  joinText,
  type Messages,
  MissingAuthError,
  ModelNotSupportedError,
  NetworkError,
  type Provider,
  type ProviderErrorClass,
  RateLimitError,
  RequestTimeoutError,
  ResponseStatusError,
  UnexpectedResponseError,
} from '@g4f/core';
import type { ReplicaServer } from '@g4f/core/replica';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createForwardProxy } from './forward-proxy.js';

/** What the conformance suite needs to know about one provider. */
export interface ConformanceOptions {
  /** Starts the provider's replica. */
  startReplica: () => Promise<ReplicaServer>;
  /** Builds a fresh provider that talks to `baseUrl`. */
  createProvider: (baseUrl: string) => Provider;
  /** The route (`METHOD /path`) that carries the answer; its failures are injected. */
  route: string;
  /** Messages for each call (default: one user message). */
  messages?: Messages;
  /** The exact text the provider must give for `messages` against a fresh replica. */
  answer: string;
  /**
   * For a provider that shares a first step (a page load, a login) between concurrent calls:
   * the route of that step's first request. The suite then checks that concurrent calls on a
   * fresh instance share one step, that one caller's abort or timeout fails no other caller,
   * and that calls through different proxies do not share it.
   */
  sharedStepRoute?: string;
  /**
   * Where to cut the answer's body in the "cut stream" check: a byte offset inside the body,
   * after at least one piece of text for a streaming provider.
   */
  cutAfterBytes: number;
  /**
   * False for a provider that answers in one piece (`supportsStream: false`): the checks of a
   * stream in progress are then left out. Default true.
   */
  streams?: boolean;
  /** Metadata the provider must show. */
  expected: {
    label: string;
    defaultModel: string;
    /** Alias to model pairs `getModel` must resolve. */
    aliases?: Record<string, string>;
    /** A name `getModel` must refuse; omit for providers that accept any name. */
    unknownModel?: string;
  };
  /**
   * Status to error class, checked one by one with a JSON body. Default: 401 and 403 →
   * MissingAuthError, 429 → RateLimitError, 500, 503 and 502 → ResponseStatusError.
   */
  statuses?: ReadonlyArray<readonly [number, ProviderErrorClass]>;
}

const defaultStatuses: ReadonlyArray<readonly [number, ProviderErrorClass]> = [
  [401, MissingAuthError],
  [403, MissingAuthError],
  [429, RateLimitError],
  [500, ResponseStatusError],
  [502, ResponseStatusError],
  [503, ResponseStatusError],
];

/** Awaits `promise` and returns what it rejected with; fails the test if it resolved. */
export async function failureOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/**
 * Reads `generator` until it throws and returns the chunks it gave before, with the error:
 * for "the text so far, then an error" checks. Fails the test if the generator ends normally.
 */
export async function chunksBeforeFailure(
  generator: AsyncIterable<Chunk>,
): Promise<{ chunks: Chunk[]; error: unknown }> {
  const chunks: Chunk[] = [];
  const error = await failureOf(
    (async () => {
      for await (const chunk of generator) chunks.push(chunk);
    })(),
  );
  return { chunks, error };
}

/**
 * Registers the checks every provider must pass against its replica: metadata, `getModel`,
 * the exact answer (also when the replica sends it one byte per write), bad input and bad
 * transport options refused before any request, each upstream status as the right error
 * class, a challenge page (also with status 200), a cut body (text so far, then
 * `NetworkError`), a hung upstream hitting the timeout, the caller's abort before the headers,
 * a refused connection, a working proxy, a refusing one and one that wants credentials
 * (`MissingAuthError`), an answer compressed with gzip, deflate or br (decoded) or an unknown
 * encoding (`UnexpectedResponseError`), a redirect, a 204 and a `Text/HTML` 200 page (each an
 * error, never an answer). For streaming providers
 * also: the first chunk reaches the caller while the replica is still writing, and both an
 * abort mid-stream and a `break` out of the loop close the socket the replica sees. Call it
 * inside a test file.
 */
export function runProviderConformance(name: string, options: ConformanceOptions): void {
  const messages: Messages = options.messages ?? [{ role: 'user', content: 'Hello' }];
  describe(`${name} conformance`, () => {
    let replica: ReplicaServer;
    let provider: Provider;
    const call = (extra: Partial<CreateOptions> = {}) =>
      collectChunks(provider.createAsyncGenerator({ messages, ...extra }));

    beforeAll(async () => {
      replica = await options.startReplica();
      provider = options.createProvider(replica.url);
    });
    afterEach(() => replica.clearFaults());
    afterAll(() => replica.close());

    it('shows g4f metadata', () => {
      expect(provider.label).toBe(options.expected.label);
      expect(provider.defaultModel).toBe(options.expected.defaultModel);
      expect(typeof provider.url).toBe('string');
      expect(typeof provider.working).toBe('boolean');
      if (provider.models.length > 0) expect(provider.models).toContain(provider.defaultModel);
    });

    it('resolves the default model and aliases', () => {
      expect(provider.getModel()).toBe(options.expected.defaultModel);
      expect(provider.getModel('')).toBe(options.expected.defaultModel);
      for (const [alias, model] of Object.entries(options.expected.aliases ?? {})) {
        expect(provider.getModel(alias)).toBe(model);
      }
      const unknown = options.expected.unknownModel;
      if (unknown !== undefined) {
        const error = (() => {
          try {
            provider.getModel(unknown);
          } catch (e) {
            return e;
          }
        })();
        expect(ModelNotSupportedError.isInstance(error)).toBe(true);
        if (ModelNotSupportedError.isInstance(error))
          expect(error.knownModels).toContain(options.expected.defaultModel);
      }
    });

    it('gives the exact answer', async () => {
      expect(joinText(await call())).toBe(options.answer);
    });

    it('gives the same answer when the replica writes one byte at a time', async () => {
      replica.fail(options.route, { kind: 'chunks', sizes: [1] });
      expect(joinText(await call())).toBe(options.answer);
    });

    it('refuses bad messages and bad transport options before sending anything', async () => {
      const before = replica.calls.length;
      const bad: Partial<CreateOptions>[] = [
        { messages: [] as Messages },
        { proxy: 'not a url' },
        { proxy: 'ftp://127.0.0.1:21' },
        { timeout: -1 },
        { timeout: 0 },
        { timeout: Number.NaN },
        { timeout: Number.POSITIVE_INFINITY },
      ];
      for (const extra of bad) {
        const error = await failureOf(call(extra));
        expect(InvalidArgumentError.isInstance(error), JSON.stringify(extra)).toBe(true);
        expect(InvalidArgumentError.isInstance(error) && error.isRetryable).toBe(false);
      }
      expect(replica.calls.length).toBe(before);
    });

    it('refuses settings that cannot work when it is built', () => {
      for (const baseUrl of ['ftp://x', 'not a url', '/relative']) {
        expect(() => options.createProvider(baseUrl)).toThrow(InvalidArgumentError);
      }
    });

    it('gives a part of the answer, then a NetworkError, when the body is cut', async () => {
      replica.fail(options.route, { kind: 'cut', afterBytes: options.cutAfterBytes });
      const { chunks, error } = await chunksBeforeFailure(
        provider.createAsyncGenerator({ messages }),
      );
      expect(NetworkError.isInstance(error) && error.isRetryable).toBe(true);
      const text = joinText(chunks);
      expect(options.answer.startsWith(text)).toBe(true);
      expect(text.length).toBeLessThan(options.answer.length);
      if (options.streams !== false) expect(text).not.toBe('');
    });

    const stepRoute = options.sharedStepRoute;
    if (stepRoute !== undefined) {
      it("shares its first step, yet one caller's abort or timeout fails no other caller", async () => {
        const fresh = options.createProvider(replica.url);
        replica.fail(stepRoute, { kind: 'delay', ms: 300 }, { times: 1 });
        const before = replica.callsTo(stepRoute).length;
        const a = new AbortController();
        const reason = new Error('caller A left');
        const ask = (extra: Partial<CreateOptions> = {}) =>
          collectChunks(fresh.createAsyncGenerator({ messages, ...extra }));
        const callA = failureOf(ask({ signal: a.signal }));
        const callB = ask();
        const callC = failureOf(ask({ timeout: 50 }));
        await replica.waitFor(() => replica.callsTo(stepRoute).length > before);
        a.abort(reason);
        expect(await callA).toBe(reason);
        const timedOut = await callC;
        expect(RequestTimeoutError.isInstance(timedOut) && timedOut.timeoutMs).toBe(50);
        expect(joinText(await callB)).toBe(options.answer);
        expect(replica.callsTo(stepRoute).length - before).toBe(1);
      });

      it('does not share its first step between calls through different proxies', async () => {
        const proxy = await createForwardProxy();
        try {
          const fresh = options.createProvider(replica.url);
          const before = replica.callsTo(stepRoute).length;
          const answers = await Promise.all([
            collectChunks(fresh.createAsyncGenerator({ messages })),
            collectChunks(fresh.createAsyncGenerator({ messages, proxy: proxy.url })),
          ]);
          expect(answers.map(joinText)).toEqual([options.answer, options.answer]);
          expect(replica.callsTo(stepRoute).length - before).toBe(2);
          expect(proxy.requests).toContain(new URL(replica.url).host);
        } finally {
          await proxy.close();
        }
      });
    }

    if (options.streams !== false) {
      it('hands out the first chunk while the replica is still writing', async () => {
        replica.fail(options.route, { kind: 'chunks', sizes: [2], delayMs: 2 });
        const generator = provider.createAsyncGenerator({ messages });
        const first = await generator.next();
        const seen = replica.callsTo(options.route).at(-1)!;
        expect(seen.finished).toBe(false);
        const rest = await collectChunks(generator);
        expect(joinText([first.value as Chunk, ...rest])).toBe(options.answer);
      });

      it('closes the socket the replica sees on an abort mid-stream', async () => {
        replica.fail(options.route, { kind: 'chunks', sizes: [2], delayMs: 5 });
        const controller = new AbortController();
        const generator = provider.createAsyncGenerator({ messages, signal: controller.signal });
        await generator.next();
        const reason = new Error('stopped mid-stream by the test');
        controller.abort(reason);
        expect(await failureOf(generator.next())).toBe(reason);
        const seen = replica.callsTo(options.route).at(-1)!;
        await replica.waitFor(() => seen.closedEarly);
        expect(seen.finished).toBe(false);
      });

      it('closes the socket the replica sees when the caller breaks out of the loop', async () => {
        replica.fail(options.route, { kind: 'chunks', sizes: [2], delayMs: 5 });
        for await (const _ of provider.createAsyncGenerator({ messages })) break;
        const seen = replica.callsTo(options.route).at(-1)!;
        await replica.waitFor(() => seen.closedEarly);
        expect(seen.finished).toBe(false);
      });
    }

    for (const [status, errorClass] of options.statuses ?? defaultStatuses) {
      it(`maps HTTP ${status} to ${errorClass.errorName}`, async () => {
        replica.fail(options.route, {
          kind: 'status',
          status,
          contentType: 'application/json',
          body: JSON.stringify({ error: { message: `replica says ${status}` } }),
          headers: status === 429 ? { 'retry-after': '7' } : {},
        });
        const error = await failureOf(call());
        expect(errorClass.isInstance(error)).toBe(true);
        expect((error as { status?: number }).status).toBe(status);
        expect((error as { url?: string }).url).toMatch(/^http:\/\/127\.0\.0\.1:/);
        expect((error as { bodyExcerpt?: string }).bodyExcerpt).toContain(`replica says ${status}`);
        if (RateLimitError.isInstance(error)) expect(error.retryAfterMs).toBe(7000);
      });
    }

    it('maps a Cloudflare challenge page to CloudflareError, also with status 200', async () => {
      replica.fail(options.route, { kind: 'cloudflare', status: 200 }, { times: 1 });
      const ok = await failureOf(call());
      expect(CloudflareError.isInstance(ok) && ok.status).toBe(200);
      replica.fail(options.route, { kind: 'cloudflare' });
      const error = await failureOf(call());
      expect(CloudflareError.isInstance(error) && error.status).toBe(403);
    });

    it('ends a hung upstream with RequestTimeoutError', async () => {
      replica.fail(options.route, { kind: 'hang' });
      const error = await failureOf(call({ timeout: 150 }));
      expect(RequestTimeoutError.isInstance(error) && error.timeoutMs).toBe(150);
    });

    it("ends on the caller's abort and closes the socket", async () => {
      replica.fail(options.route, { kind: 'hang' });
      const controller = new AbortController();
      const before = replica.callsTo(options.route).length;
      const pending = failureOf(call({ signal: controller.signal }));
      await replica.waitFor(() => replica.callsTo(options.route).length > before);
      const reason = new DOMException('stopped by the test', 'AbortError');
      controller.abort(reason);
      expect(await pending).toBe(reason);
      const seen = replica.callsTo(options.route).at(-1)!;
      await replica.waitFor(() => seen.closedEarly);
      expect(seen.finished).toBe(false);
    });

    it('reports a refused connection as a retryable NetworkError', async () => {
      const closed = options.createProvider('http://127.0.0.1:1');
      const error = await failureOf(collectChunks(closed.createAsyncGenerator({ messages })));
      expect(NetworkError.isInstance(error) && error.isRetryable).toBe(true);
    });

    it('goes through a proxy, and reports a refusing one', async () => {
      const proxy = await createForwardProxy();
      const refusing = await createForwardProxy({ refuse: true });
      try {
        expect(joinText(await call({ proxy: proxy.url }))).toBe(options.answer);
        expect(proxy.requests).toContain(new URL(replica.url).host);
        // A proxy's 403 or 407 is the proxy refusing us: an auth problem, not a network one.
        const error = await failureOf(call({ proxy: refusing.url }));
        expect(MissingAuthError.isInstance(error) && !error.isRetryable).toBe(true);
        expect((error as Error).message).toContain('proxy');
      } finally {
        await proxy.close();
        await refusing.close();
      }
    });

    it('reports a proxy that wants credentials as MissingAuthError, and passes with them', async () => {
      const proxy = await createForwardProxy({ requireAuth: { username: 'me', password: 'pw' } });
      try {
        const error = await failureOf(call({ proxy: proxy.url }));
        expect(MissingAuthError.isInstance(error) && error.status).toBe(407);
        expect((error as Error).message).toContain('proxy');
        const withLogin = proxy.url.replace('http://', 'http://me:pw@');
        expect(joinText(await call({ proxy: withLogin }))).toBe(options.answer);
      } finally {
        await proxy.close();
      }
    });

    for (const encoding of ['gzip', 'deflate', 'br']) {
      it(`gives the exact answer when the upstream compresses it with ${encoding}`, async () => {
        replica.fail(options.route, { kind: 'encoding', encoding });
        expect(joinText(await call())).toBe(options.answer);
      });
    }

    it('refuses an answer in an encoding it cannot decode', async () => {
      replica.fail(options.route, { kind: 'encoding', encoding: 'zstd' });
      const { chunks, error } = await chunksBeforeFailure(
        provider.createAsyncGenerator({ messages }),
      );
      expect(UnexpectedResponseError.isInstance(error)).toBe(true);
      expect(chunks).toEqual([]);
    });

    it('reports a redirect on the answer route as an error naming its Location', async () => {
      replica.fail(options.route, {
        kind: 'status',
        status: 302,
        body: 'Found. Redirecting to /login',
        headers: { location: '/login' },
      });
      const error = await failureOf(call());
      expect(ResponseStatusError.isInstance(error) && error.status).toBe(302);
      expect((error as ResponseStatusError).isRetryable).toBe(false);
      expect((error as Error).message).toContain('/login');
    });

    it('reports 204 No Content as an error, never an empty answer', async () => {
      replica.fail(options.route, { kind: 'status', status: 204 });
      const error = await failureOf(call());
      expect(ResponseStatusError.isInstance(error) && error.status).toBe(204);
    });

    it('refuses a 200 HTML page whatever the case of its media type', async () => {
      replica.fail(options.route, {
        kind: 'status',
        status: 200,
        body: '<p>Please log in</p>',
        contentType: 'Text/HTML; Charset=UTF-8',
      });
      const error = await failureOf(call());
      expect(ResponseStatusError.isInstance(error) && error.status).toBe(200);
    });
  });
}
