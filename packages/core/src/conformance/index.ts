import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Chunk, collectChunks } from '../chunks.js';
import { CloudflareError } from '../errors/cloudflare-error.js';
import { ModelNotSupportedError } from '../errors/model-not-supported-error.js';
import type { ProviderError } from '../errors/provider-error.js';
import { RateLimitError } from '../errors/rate-limit-error.js';
import { ResponseStatusError } from '../errors/response-status-error.js';
import {
  InvalidArgumentError,
  MissingAuthError,
  NetworkError,
  RequestTimeoutError,
} from '../errors/simple-errors.js';
import type { Messages } from '../messages.js';
import type { CreateOptions, Provider } from '../provider/provider.js';
import { createForwardProxy } from '../replica/forward-proxy.js';
import type { ReplicaServer } from '../replica/replica-server.js';

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
  statuses?: ReadonlyArray<readonly [number, { isInstance(error: unknown): boolean }]>;
}

type ErrorClass = { isInstance(error: unknown): boolean };

const defaultStatuses: ReadonlyArray<readonly [number, ErrorClass]> = [
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
 * bad input, each upstream status as the right error class, a challenge page, a hung
 * upstream hitting the timeout, the caller's abort closing the socket, a refused
 * connection, and a working and a refusing proxy. Call it inside a test file.
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
        expect((error as ModelNotSupportedError).knownModels).toContain(
          options.expected.defaultModel,
        );
      }
    });

    it('answers against its replica', async () => {
      const chunks = await call();
      expect(chunks.length).toBeGreaterThan(0);
    });

    it('rejects empty messages before sending anything', async () => {
      const before = replica.calls.length;
      const error = await failureOf(
        collectChunks(provider.createAsyncGenerator({ messages: [] as Messages })),
      );
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      expect(replica.calls.length).toBe(before);
    });

    for (const [status, errorClass] of options.statuses ?? defaultStatuses) {
      it(`maps HTTP ${status} to ${(errorClass as unknown as { errorName: string }).errorName}`, async () => {
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
        if (RateLimitError.isInstance(error))
          expect((error as RateLimitError).retryAfterMs).toBe(7000);
      });
    }

    it('maps a Cloudflare challenge page to CloudflareError', async () => {
      replica.fail(options.route, { kind: 'cloudflare' });
      const error = await failureOf(call());
      expect(CloudflareError.isInstance(error)).toBe(true);
      expect((error as CloudflareError).status).toBe(403);
    });

    it('ends a hung upstream with RequestTimeoutError', async () => {
      replica.fail(options.route, { kind: 'hang' });
      const error = await failureOf(call({ timeout: 150 }));
      expect(RequestTimeoutError.isInstance(error)).toBe(true);
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
      expect(NetworkError.isInstance(error)).toBe(true);
      expect((error as ProviderError).isRetryable).toBe(true);
    });

    it('goes through a proxy, and reports a refusing one', async () => {
      const proxy = await createForwardProxy();
      const refusing = await createForwardProxy({ refuse: true });
      try {
        const chunks = await call({ proxy: proxy.url });
        expect(chunks.length).toBeGreaterThan(0);
        expect(proxy.requests).toContain(new URL(replica.url).host);
        const error = await failureOf(call({ proxy: refusing.url }));
        expect(NetworkError.isInstance(error)).toBe(true);
      } finally {
        await proxy.close();
        await refusing.close();
      }
    });
  });
}
