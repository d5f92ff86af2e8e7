import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { ChatCompletionChunk } from '@g4f/client';
import type { ProviderMetadata } from '@g4f/core';
import { createKeyCheck, presentedKey } from './auth.js';
import { ClientGoneError, readJsonBody } from './body.js';
import type { JsonObject, ServerClient } from './client-shape.js';
import { HttpError, toHttpError } from './http-error.js';
import { createMetrics, type ServerMetrics } from './metrics.js';
import type { AppOptions } from './options.js';
import {
  type ChatRequest,
  chatRequestSchema,
  imageRequestSchema,
  toProviderMessages,
  validate,
} from './schemas.js';

/** A Node request handler plus what `startServer` needs to stop it gracefully. */
export interface App {
  (req: IncomingMessage, res: ServerResponse): void;
  /** The Prometheus metrics this app records. */
  readonly metrics: ServerMetrics;
  /** Requests being answered right now. */
  readonly inFlight: number;
  /**
   * Refuses new requests (503), waits up to `timeoutMs` for the open ones, then ends the rest:
   * a stream gets an error event and `[DONE]`, and its upstream request is aborted.
   */
  drain(timeoutMs: number): Promise<void>;
}

/** Why open requests end when the server stops: a 503, or an error event in a stream. */
const shuttingDown = () =>
  new HttpError(503, 'The server is shutting down', 'server_error', 'shutting_down', {
    connection: 'close',
  });

interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  controller: AbortController;
  route: string;
  provider?: string;
}

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  // Tells nginx-style proxies in front not to buffer the stream.
  'x-accel-buffering': 'no',
};

function sendJson(res: ServerResponse, status: number, body: unknown, headers = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** Resolves when `res` can take more data, or when the client is gone. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * Writes one SSE event. Returns a promise only when the client is not reading (backpressure),
 * to wait on before the next event: most events go out without one, and a stream writes one
 * event per chunk.
 */
function writeEvent(res: ServerResponse, data: string): Promise<void> | undefined {
  if (res.destroyed) return undefined;
  return res.write(`data: ${data}\n\n`) ? undefined : drained(res);
}

function isAsyncIterable(value: unknown): value is AsyncIterable<ChatCompletionChunk> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

function pathSegments(pathname: string): string[] | undefined {
  try {
    return pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

function findProvider(
  providers: readonly ProviderMetadata[] | undefined,
  id: string,
): ProviderMetadata | undefined {
  return providers?.find((p) => p.name === id || p.label === id);
}

function providerModels(p: ProviderMetadata): JsonObject[] {
  const ids = new Set([
    p.defaultModel,
    ...p.models,
    ...p.imageModels,
    ...Object.keys(p.modelAliases),
  ]);
  ids.delete('');
  return [...ids].map((id) => {
    const image = p.imageModels.includes(id);
    return {
      id,
      object: 'model',
      created: 0,
      owned_by: p.name,
      image,
      vision: false,
      type: image ? 'image' : 'chat',
    };
  });
}

function healthOf(client: ServerClient, name: string): JsonObject | null {
  const entry = client.health?.().providers.find((h) => h.name === name);
  return entry ? { ...entry } : null;
}

function describeProvider(client: ServerClient, p: ProviderMetadata): JsonObject {
  return {
    id: p.name,
    object: 'provider',
    created: 0,
    url: p.url,
    label: p.label,
    working: p.working,
    health: healthOf(client, p.name),
  };
}

/**
 * Creates the request handler of the OpenAI-compatible API. Mount it in any Node HTTP server:
 * `createServer(createApp({ client }))`.
 */
export function createApp(options: AppOptions): App {
  const { client } = options;
  const providerList = options.providers ?? client.providers;
  const bodyLimit = options.bodyLimit ?? 1024 * 1024;
  const maxStreams = options.maxConcurrentStreams ?? 256;
  const checkKey = options.apiKey === undefined ? undefined : createKeyCheck(options.apiKey);
  const metrics = createMetrics();
  const open = new Set<Exchange>();
  let streams = 0;
  let draining = false;

  const corsOrigin = (origin: string | undefined): string | undefined => {
    const cors = options.cors;
    if (!cors || !origin) return undefined;
    if (cors === true) return '*';
    const allowed = typeof cors === 'string' ? [cors] : cors;
    return allowed.includes(origin) ? origin : undefined;
  };

  const fail = (x: Exchange, error: unknown): void => {
    const reason = x.controller.signal.aborted ? x.controller.signal.reason : error;
    if (reason instanceof ClientGoneError || error instanceof ClientGoneError) {
      if (!x.res.destroyed) x.res.destroy();
      return;
    }
    const httpError = toHttpError(reason, x.provider);
    metrics.errors.inc({ class: (error as Error)?.name ?? 'Error', status: httpError.status });
    if (x.res.headersSent) {
      x.res.destroy();
      return;
    }
    // A body left unread (413) cannot share the connection with the next request.
    const headers =
      httpError.status === 413 ? { ...httpError.headers, connection: 'close' } : httpError.headers;
    sendJson(x.res, httpError.status, httpError.toBody(), headers);
  };

  // Unless the operator allows it, a caller may not point the server's fetches elsewhere.
  const refuseRequestProxy = (body: { proxy?: string; api_base?: string }): void => {
    if (options.allowRequestProxy || (body.proxy === undefined && body.api_base === undefined)) {
      return;
    }
    const field = body.proxy !== undefined ? 'proxy' : 'api_base';
    const message = `Field ${field} is not allowed on this server`;
    throw new HttpError(
      400,
      message,
      'invalid_request_error',
      'field_not_allowed',
      {},
      undefined,
      field,
    );
  };

  const chatParams = (x: Exchange, body: ChatRequest, stream: boolean) => {
    refuseRequestProxy(body);
    const stop = body.stop === null ? undefined : body.stop;
    const params = {
      messages: toProviderMessages(body.messages),
      stream,
      signal: x.controller.signal,
      ...(body.model ? { model: body.model } : {}),
      ...(x.provider ? { provider: x.provider } : {}),
      ...(body.temperature !== undefined ? { temperature: body.temperature } : {}),
      ...(body.top_p !== undefined ? { top_p: body.top_p } : {}),
      ...((body.max_tokens ?? body.max_completion_tokens) !== undefined
        ? { max_tokens: body.max_tokens ?? body.max_completion_tokens }
        : {}),
      ...(stop !== undefined ? { stop } : {}),
      ...(body.web_search !== undefined ? { web_search: body.web_search } : {}),
      ...(body.tools !== undefined ? { tools: body.tools } : {}),
      ...(body.tool_choice !== undefined ? { tool_choice: body.tool_choice } : {}),
      ...(body.parallel_tool_calls !== undefined
        ? { parallel_tool_calls: body.parallel_tool_calls }
        : {}),
      ...(body.reasoning_effort !== undefined ? { reasoning_effort: body.reasoning_effort } : {}),
      ...(body.proxy !== undefined ? { proxy: body.proxy } : {}),
      ...(body.api_base !== undefined ? { baseUrl: body.api_base } : {}),
    };
    return params;
  };

  const chat = async (x: Exchange, pathProvider?: string): Promise<void> => {
    const body = validate(chatRequestSchema, await readJsonBody(x.req, bodyLimit));
    if (pathProvider !== undefined) {
      if (findProvider(providerList, pathProvider)) x.provider = pathProvider;
      else if (providerList) {
        // g4f: a path segment that is a model rather than a provider picks the model.
        const models = await client.models.list();
        if (!models.data.some((m) => m.id === pathProvider)) {
          throw new HttpError(
            404,
            `Invalid provider: ${pathProvider}`,
            'not_found_error',
            'provider_not_found',
          );
        }
        body.model = pathProvider;
      } else x.provider = pathProvider;
    } else if (body.provider) x.provider = body.provider;
    const started = performance.now();
    if (!body.stream) {
      const answer = await client.chat.completions.create(chatParams(x, body, false));
      observe(answer as { provider?: unknown }, started, 'chat');
      sendJson(x.res, 200, answer);
      return;
    }
    if (streams >= maxStreams) {
      throw new HttpError(
        503,
        `Too many open streams (limit ${maxStreams}), try again shortly`,
        'server_error',
        'too_many_streams',
        { 'retry-after': '1' },
      );
    }
    streams++;
    metrics.openStreams.inc();
    try {
      await stream(x, body, started);
    } finally {
      streams--;
      metrics.openStreams.dec();
    }
  };

  const observe = (
    first: { provider?: unknown } | undefined,
    started: number,
    kind: string,
  ): void => {
    const provider = typeof first?.provider === 'string' ? first.provider : 'unknown';
    metrics.upstreamLatency.observe({ provider, kind }, (performance.now() - started) / 1000);
  };

  const stream = async (x: Exchange, body: ChatRequest, started: number): Promise<void> => {
    const result = await client.chat.completions.create(chatParams(x, body, true));
    if (!isAsyncIterable(result)) throw new TypeError('The client did not return a stream');
    const iterator = result[Symbol.asyncIterator]();
    try {
      // Waiting for the first chunk lets a failure before any content (a rate limit, every
      // provider down) keep its own status; from here on the answer is committed.
      let step = await iterator.next();
      observe(step.done ? undefined : step.value, started, 'stream-first-chunk');
      x.res.writeHead(200, SSE_HEADERS);
      try {
        while (!step.done) {
          const full = writeEvent(x.res, JSON.stringify(step.value));
          if (full) await full;
          if (x.res.destroyed) return;
          step = await iterator.next();
        }
      } catch (error) {
        if (x.res.destroyed) return;
        const reason = x.controller.signal.aborted ? x.controller.signal.reason : error;
        const httpError = toHttpError(reason, x.provider);
        metrics.errors.inc({ class: (reason as Error)?.name ?? 'Error', status: 'stream' });
        await writeEvent(x.res, JSON.stringify(httpError.toBody()));
      }
      await writeEvent(x.res, '[DONE]');
      x.res.end();
    } finally {
      // Closes the upstream request when we stopped early (client gone, write failed).
      await iterator.return?.().catch(() => undefined);
    }
  };

  const images = async (x: Exchange, pathProvider?: string): Promise<void> => {
    const body = validate(imageRequestSchema, await readJsonBody(x.req, bodyLimit));
    refuseRequestProxy(body);
    x.provider = pathProvider ?? body.provider;
    const { api_base, ...rest } = body;
    const started = performance.now();
    const answer = await client.images.generate({
      ...rest,
      ...(api_base !== undefined ? { baseUrl: api_base } : {}),
      ...(x.provider ? { provider: x.provider } : {}),
      signal: x.controller.signal,
    });
    observe(answer, started, 'image');
    sendJson(x.res, 200, answer);
  };

  const modelList = async (): Promise<JsonObject[]> => {
    const { data } = await client.models.list();
    const models = data.map((m) => ({ ...m, object: 'model', provider: false }));
    const providers = (providerList ?? [])
      .filter((p) => p.working)
      .map((p) => ({ id: p.name, object: 'model', created: 0, owned_by: p.name, provider: true }));
    return [...models, ...providers];
  };

  const notFound = (what: string, code: string) =>
    new HttpError(404, what, 'not_found_error', code);

  /** Answers one request; returns the route pattern for metrics. */
  const dispatch = async (x: Exchange, method: string, segments: string[]): Promise<void> => {
    const [a, b, c, d] = segments;
    const path = segments.join('/');
    const post = method === 'POST';
    const get = method === 'GET';
    if (post && path === 'v1/chat/completions') return chat(x);
    if (post && a === 'api' && c === 'chat' && d === 'completions' && segments.length === 4) {
      x.route = '/api/{provider}/chat/completions';
      return chat(x, b);
    }
    if (post && (path === 'v1/images/generations' || path === 'v1/images/generate'))
      return images(x);
    if (post && a === 'api' && c === 'images' && d === 'generations' && segments.length === 4) {
      x.route = '/api/{provider}/images/generations';
      return images(x, b);
    }
    if (get && path === 'v1/models')
      return sendJson(x.res, 200, { object: 'list', data: await modelList() });
    if (get && a === 'v1' && b === 'models' && segments.length >= 3) {
      x.route = '/v1/models/{id}';
      const id = segments.slice(2).join('/');
      const model = (await modelList()).find((m) => m.id === id);
      if (!model) throw notFound(`Model not found: ${id}`, 'model_not_found');
      return sendJson(x.res, 200, model);
    }
    if (get && a === 'api' && c === 'models' && segments.length === 3) {
      x.route = '/api/{provider}/models';
      const p = findProvider(providerList, b ?? '');
      if (!p) throw notFound(`Invalid provider: ${b}`, 'provider_not_found');
      return sendJson(x.res, 200, { object: 'list', data: providerModels(p) });
    }
    if (get && path === 'v1/providers') {
      return sendJson(
        x.res,
        200,
        (providerList ?? []).map((p) => describeProvider(client, p)),
      );
    }
    if (get && a === 'v1' && b === 'providers' && segments.length === 3) {
      x.route = '/v1/providers/{id}';
      const p = findProvider(providerList, c ?? '');
      if (!p) throw notFound(`Invalid provider: ${c}`, 'provider_not_found');
      const models = providerModels(p);
      return sendJson(x.res, 200, {
        ...describeProvider(client, p),
        models: models.filter((m) => !m.image).map((m) => m.id),
        image_models: models.filter((m) => m.image).map((m) => m.id),
        vision_models: [],
        params: [
          'model',
          'messages',
          'stream',
          'temperature',
          'max_tokens',
          'stop',
          'tools',
          'tool_choice',
        ],
      });
    }
    if (get && path === 'metrics') {
      const text = await metrics.registry.metrics();
      x.res.writeHead(200, { 'content-type': metrics.registry.contentType });
      x.res.end(text);
      return;
    }
    x.route = 'unmatched';
    throw notFound(`No route for ${method} /${path}`, 'unknown_route');
  };

  const handle = async (x: Exchange): Promise<void> => {
    const { req, res } = x;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    const segments = pathSegments(url.pathname);
    x.route = url.pathname;
    const origin = corsOrigin(req.headers.origin);
    if (origin) {
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'Origin');
    }
    if (method === 'OPTIONS' && options.cors) {
      res.writeHead(204, {
        'access-control-allow-methods': 'GET, POST, OPTIONS',
        'access-control-allow-headers': 'authorization, content-type, g4f-api-key',
        'access-control-max-age': '600',
      });
      res.end();
      return;
    }
    if (url.pathname === '/health' && method === 'GET') {
      sendJson(res, 200, { status: draining ? 'stopping' : 'ok' });
      return;
    }
    if (draining) throw shuttingDown();
    if (checkKey && !checkKey(presentedKey(req.headers))) {
      const missing = presentedKey(req.headers) === undefined;
      throw new HttpError(
        401,
        missing
          ? 'API key required (Authorization: Bearer <key> or g4f-api-key)'
          : 'Invalid API key',
        'authentication_error',
        missing ? 'missing_api_key' : 'invalid_api_key',
      );
    }
    if (!segments)
      throw new HttpError(
        400,
        'The path is not valid URL encoding',
        'invalid_request_error',
        'invalid_path',
      );
    await dispatch(x, method, segments);
  };

  const app = ((req: IncomingMessage, res: ServerResponse) => {
    const x: Exchange = { req, res, controller: new AbortController(), route: 'unmatched' };
    const started = performance.now();
    open.add(x);
    // The client went away before the answer was complete: abort the upstream call.
    res.on('close', () => {
      if (!res.writableFinished)
        x.controller.abort(new ClientGoneError('The client closed the connection'));
    });
    let error: unknown;
    handle(x)
      .catch((e: unknown) => {
        error = e;
        fail(x, e);
      })
      .finally(() => {
        open.delete(x);
        const status = res.headersSent ? res.statusCode : 499;
        metrics.requests.inc({ method: req.method ?? 'GET', route: x.route, status });
        options.logger?.({
          method: req.method ?? 'GET',
          route: x.route,
          status,
          durationMs: performance.now() - started,
          ...(error === undefined
            ? {}
            : {
                error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
              }),
        });
      });
  }) as App;

  Object.defineProperties(app, {
    metrics: { value: metrics },
    inFlight: { get: () => open.size },
    drain: {
      value: async (timeoutMs: number): Promise<void> => {
        draining = true;
        const deadline = Date.now() + timeoutMs;
        while (open.size > 0 && Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, Math.min(20, Math.max(1, deadline - Date.now()))));
        }
        for (const x of open) x.controller.abort(shuttingDown());
        // Let the aborted streams write their error event and [DONE].
        const grace = Date.now() + 1000;
        while (open.size > 0 && Date.now() < grace) await new Promise((r) => setTimeout(r, 10));
      },
    },
  });
  return app;
}
