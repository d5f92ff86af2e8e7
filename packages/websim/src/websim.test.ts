import {
  CloudflareError,
  collectChunks,
  EmptyAnswerError,
  ImageResponse,
  MissingAuthError,
  RateLimitError,
  ResponseStatusError,
  StreamParseError,
  UnexpectedResponseError,
} from '@g4f/core';
import { failureOf, runProviderConformance } from '@g4f/testing';
import { request } from 'undici';
import { afterAll, afterEach, assert, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Websim, websim } from './websim.js';
import {
  createWebsimReplica,
  ONE_PIXEL_PNG,
  WEBSIM_CHAT_ROUTE,
  WEBSIM_IMAGE_ROUTE,
  type WebsimReplica,
} from './websim-replica.js';

const noWait = async () => undefined;

runProviderConformance('Websim', {
  route: WEBSIM_CHAT_ROUTE,
  startReplica: () => createWebsimReplica(),
  createProvider: (baseUrl) => new Websim({ baseUrl, sleep: noWait }),
  cutAfterBytes: 10,
  answer: 'Hello from the Websim replica — Gemini says hi 👋',
  streams: false,
  expected: { label: 'Websim', defaultModel: 'gemini-2.5-pro', unknownModel: 'gpt-4' },
});

const messages = [
  { role: 'system' as const, content: 'Be kind' },
  { role: 'user' as const, content: 'Draw a cat' },
  { role: 'user' as const, content: 'in the snow' },
];

const rateLimited = {
  kind: 'status' as const,
  status: 429,
  contentType: 'application/json',
  body: '{"error":"Rate limit exceeded"}',
};

describe('Websim against its replica', () => {
  let replica: WebsimReplica;
  let sleeps: number[];
  let provider: Websim;
  const chat = () => collectChunks(provider.createAsyncGenerator({ messages }));

  beforeAll(async () => {
    replica = await createWebsimReplica();
  });
  beforeEach(() => {
    sleeps = [];
    provider = new Websim({ baseUrl: replica.url, sleep: async (ms) => void sleeps.push(ms) });
  });
  afterEach(() => replica.clearFaults());
  afterAll(() => replica.close());

  it('has g4f metadata', () => {
    expect(websim.name).toBe('Websim');
    expect(websim).toMatchObject({
      url: 'https://websim.ai',
      working: false,
      needsAuth: false,
      supportsStream: false,
      supportsSystemMessage: true,
      supportsMessageHistory: true,
      defaultModel: 'gemini-2.5-pro',
      defaultImageModel: 'flux',
    });
    expect(websim.models).toEqual(['gemini-2.5-pro', 'gemini-2.5-flash', 'flux']);
    expect(websim.imageModels).toEqual(['flux']);
  });

  it('generates project ids in the two formats', () => {
    const chatIds = new Set(Array.from({ length: 500 }, () => Websim.generateProjectId(false)));
    const imageIds = new Set(Array.from({ length: 500 }, () => Websim.generateProjectId(true)));
    for (const id of chatIds) expect(id).toMatch(/^[a-z0-9]{3}_[a-z0-9]{15}$/);
    for (const id of imageIds) expect(id).toMatch(/^[a-z0-9]{7}_[a-z0-9]{12}$/);
    expect(chatIds.size).toBe(500);
    expect(new Set([...chatIds].join(''))).toEqual(
      new Set('abcdefghijklmnopqrstuvwxyz0123456789_'),
    );
  });

  it('sends the chat request g4f sent and yields the trimmed content as one chunk', async () => {
    expect(await chat()).toEqual([replica.state.answer]);
    const call = replica.callsTo(WEBSIM_CHAT_ROUTE).at(-1)!;
    expect(call.headers['content-type']).toBe('text/plain;charset=UTF-8');
    expect(call.headers.origin).toBe(replica.url);
    expect(call.headers.referer).toBe(
      `${replica.url}/@ISWEARIAMNOTADDICTEDTOPILLOW/zelos-ai-assistant`,
    );
    expect(call.headers['accept-language']).toBe('en-US,en;q=0.9');
    expect(call.headers['websim-flags']).toBe('');
    expect(call.headers['user-agent']).toContain('Chrome/133.0.0.0');
    const body = call.json as { project_id: string; messages: unknown };
    expect(Object.keys(body)).toEqual(['project_id', 'messages']);
    expect(body.messages).toEqual(messages);
    expect(body.project_id).toMatch(/^[a-z0-9]{3}_[a-z0-9]{15}$/);
  });

  it('uses a given project id', async () => {
    await collectChunks(
      provider.createAsyncGenerator({ messages, projectId: 'abc_0123456789abcde' }),
    );
    expect(replica.callsTo(WEBSIM_CHAT_ROUTE).at(-1)!.json).toMatchObject({
      project_id: 'abc_0123456789abcde',
    });
  });

  it.each([
    [1, [2000]],
    [2, [2000, 4000]],
  ])('retries %i rate-limited answers with 2 s then 4 s back-off', async (times, expected) => {
    const before = replica.callsTo(WEBSIM_CHAT_ROUTE).length;
    replica.fail(WEBSIM_CHAT_ROUTE, rateLimited, { times });
    expect(await chat()).toEqual([replica.state.answer]);
    expect(sleeps).toEqual(expected);
    expect(replica.callsTo(WEBSIM_CHAT_ROUTE).length - before).toBe(times + 1);
  });

  it('ends three rate-limited answers in RateLimitError with the status, after exactly 3 requests', async () => {
    const before = replica.callsTo(WEBSIM_CHAT_ROUTE).length;
    replica.fail(WEBSIM_CHAT_ROUTE, rateLimited);
    const error = await failureOf(chat());
    assert(RateLimitError.isInstance(error));
    expect(error.status).toBe(429);
    expect(error.message).toContain('Rate limit exceeded');
    expect(replica.callsTo(WEBSIM_CHAT_ROUTE).length - before).toBe(3);
    expect(sleeps).toEqual([2000, 4000]);
  });

  it('honours Retry-After, capped', async () => {
    replica.fail(
      WEBSIM_CHAT_ROUTE,
      { ...rateLimited, headers: { 'retry-after': '1' } },
      { times: 1 },
    );
    replica.fail(
      WEBSIM_CHAT_ROUTE,
      { ...rateLimited, headers: { 'retry-after': '600' } },
      { times: 1 },
    );
    expect(await chat()).toEqual([replica.state.answer]);
    expect(sleeps).toEqual([1000, 60_000]);
  });

  it('retries a body saying "Rate limit exceeded" and never ends in silence', async () => {
    const textual = { kind: 'status' as const, status: 500, body: 'Rate limit exceeded' };
    replica.fail(WEBSIM_CHAT_ROUTE, textual, { times: 1 });
    expect(await chat()).toEqual([replica.state.answer]);
    replica.fail(WEBSIM_CHAT_ROUTE, textual);
    const error = await failureOf(chat());
    assert(RateLimitError.isInstance(error));
    expect(error.status).toBe(500);
  });

  it('shares one counter across kinds of rate limit', async () => {
    const before = replica.callsTo(WEBSIM_CHAT_ROUTE).length;
    const faults = [
      rateLimited,
      { kind: 'status' as const, status: 500, body: 'Rate limit exceeded' },
      rateLimited,
    ];
    for (const fault of faults) replica.fail(WEBSIM_CHAT_ROUTE, fault, { times: 1 });
    // Faults queue on one route and each applies once, in order of the requests.
    const error = await failureOf(chat());
    assert(RateLimitError.isInstance(error));
    expect(replica.callsTo(WEBSIM_CHAT_ROUTE).length - before).toBe(3);
    expect(sleeps).toEqual([2000, 4000]);
  });

  it('does not retry other errors', async () => {
    const before = replica.callsTo(WEBSIM_CHAT_ROUTE).length;
    replica.fail(WEBSIM_CHAT_ROUTE, { kind: 'status', status: 500, body: 'boom' });
    const error = await failureOf(chat());
    assert(ResponseStatusError.isInstance(error));
    expect(error.message).toBe('Response 500: boom');
    expect(replica.callsTo(WEBSIM_CHAT_ROUTE).length - before).toBe(1);
    replica.clearFaults();
    replica.fail(WEBSIM_CHAT_ROUTE, { kind: 'status', status: 401, body: 'who?' });
    expect(MissingAuthError.isInstance(await failureOf(chat()))).toBe(true);
    expect(sleeps).toEqual([]);
  });

  it('reads odd chat bodies: plain text passes, null content and arrays are errors', async () => {
    replica.fail(
      WEBSIM_CHAT_ROUTE,
      { kind: 'status', status: 200, body: 'plain words' },
      { times: 1 },
    );
    expect(await chat()).toEqual(['plain words']);
    replica.fail(
      WEBSIM_CHAT_ROUTE,
      { kind: 'status', status: 200, body: '{"content":null}' },
      { times: 1 },
    );
    expect(UnexpectedResponseError.isInstance(await failureOf(chat()))).toBe(true);
    replica.fail(WEBSIM_CHAT_ROUTE, { kind: 'status', status: 200, body: '[]' }, { times: 1 });
    expect(UnexpectedResponseError.isInstance(await failureOf(chat()))).toBe(true);
    replica.fail(WEBSIM_CHAT_ROUTE, { kind: 'cloudflare', status: 200 }, { times: 1 });
    expect(CloudflareError.isInstance(await failureOf(chat()))).toBe(true);
  });

  it('refuses a cut JSON answer instead of giving the raw text', async () => {
    replica.fail(
      WEBSIM_CHAT_ROUTE,
      {
        kind: 'status',
        status: 200,
        body: '{"content":"Hello, the answer is',
        contentType: 'Application/JSON; charset=utf-8',
      },
      { times: 1 },
    );
    const error = await failureOf(chat());
    assert(StreamParseError.isInstance(error));
    expect(error.line).toBe('{"content":"Hello, the answer is');
  });

  it('ends an answer with no content in EmptyAnswerError, never an empty success', async () => {
    const bodies: [string, string][] = [
      ['{}', 'application/json'],
      ['{"content":"   "}', 'application/json'],
      ['', 'application/json'],
      ['  \n', 'text/plain'],
    ];
    for (const [body, contentType] of bodies) {
      replica.fail(
        WEBSIM_CHAT_ROUTE,
        { kind: 'status', status: 200, body, contentType },
        { times: 1 },
      );
      const error = await failureOf(chat());
      assert(EmptyAnswerError.isInstance(error), `for ${JSON.stringify(body)}`);
      expect(UnexpectedResponseError.isInstance(error)).toBe(true);
      expect(error.isRetryable).toBe(false);
    }
    expect(sleeps).toEqual([]);
  });

  it('retries a 200 {"error":"Rate limit exceeded"} like a 429, then fails with RateLimitError', async () => {
    const limited200 = {
      kind: 'status' as const,
      status: 200,
      contentType: 'application/json',
      body: '{"error":"Rate limit exceeded"}',
      headers: { 'x-request-id': 'ok-but-limited' },
    };
    replica.fail(WEBSIM_CHAT_ROUTE, limited200, { times: 1 });
    expect(await chat()).toEqual([replica.state.answer]);
    expect(sleeps).toEqual([2000]);
    const before = replica.callsTo(WEBSIM_CHAT_ROUTE).length;
    replica.fail(WEBSIM_CHAT_ROUTE, limited200);
    const error = await failureOf(chat());
    assert(RateLimitError.isInstance(error));
    expect(error.status).toBe(200);
    expect(error.message).toContain('Rate limit exceeded');
    expect(error.responseHeaders['x-request-id']).toBe('ok-but-limited');
    expect(replica.callsTo(WEBSIM_CHAT_ROUTE).length - before).toBe(3);
  });

  it('reports another error object in a 200 body as UnexpectedResponseError, not retried', async () => {
    const before = replica.callsTo(WEBSIM_CHAT_ROUTE).length;
    replica.fail(
      WEBSIM_CHAT_ROUTE,
      {
        kind: 'status',
        status: 200,
        contentType: 'application/json',
        body: '{"error":{"message":"model unavailable"}}',
      },
      { times: 1 },
    );
    const error = await failureOf(chat());
    assert(UnexpectedResponseError.isInstance(error));
    expect(error.message).toContain('model unavailable');
    expect(replica.callsTo(WEBSIM_CHAT_ROUTE).length - before).toBe(1);
  });

  it('fails at once, headers kept, when Retry-After passes maxRetryWaitMs', async () => {
    const bounded = new Websim({
      baseUrl: replica.url,
      maxRetryAfterMs: 3_600_000,
      maxRetryWaitMs: 30_000,
      sleep: async (ms) => void sleeps.push(ms),
    });
    const before = replica.callsTo(WEBSIM_CHAT_ROUTE).length;
    replica.fail(WEBSIM_CHAT_ROUTE, {
      ...rateLimited,
      headers: { 'retry-after': '3600', 'x-ratelimit-reset': '3600' },
    });
    const error = await failureOf(collectChunks(bounded.createAsyncGenerator({ messages })));
    assert(RateLimitError.isInstance(error));
    expect(error.retryAfterMs).toBe(3_600_000);
    expect(error.responseHeaders).toMatchObject({
      'retry-after': '3600',
      'x-ratelimit-reset': '3600',
    });
    expect(sleeps).toEqual([]);
    expect(replica.callsTo(WEBSIM_CHAT_ROUTE).length - before).toBe(1);
  });

  it('takes the retry bound per call too', async () => {
    replica.fail(WEBSIM_CHAT_ROUTE, { ...rateLimited, headers: { 'retry-after': '5' } });
    const error = await failureOf(
      collectChunks(provider.createAsyncGenerator({ messages, maxRetryWaitMs: 4000 })),
    );
    assert(RateLimitError.isInstance(error));
    expect(sleeps).toEqual([]);
    replica.clearFaults();
    replica.fail(
      WEBSIM_CHAT_ROUTE,
      { ...rateLimited, headers: { 'retry-after': '5' } },
      { times: 1 },
    );
    const answer = await collectChunks(
      provider.createAsyncGenerator({ messages, maxRetryWaitMs: 5000 }),
    );
    expect(answer).toEqual([replica.state.answer]);
    expect(sleeps).toEqual([5000]);
  });

  it('keeps the last answer headers on the final RateLimitError', async () => {
    replica.fail(WEBSIM_CHAT_ROUTE, { ...rateLimited, headers: { 'x-request-id': 'last' } });
    const error = await failureOf(chat());
    assert(RateLimitError.isInstance(error));
    expect(error.responseHeaders['x-request-id']).toBe('last');
  });

  it('stops a back-off wait on abort', async () => {
    const waiting = new Websim({ baseUrl: replica.url, retryBaseDelayMs: 60_000 });
    replica.fail(WEBSIM_CHAT_ROUTE, rateLimited);
    const controller = new AbortController();
    const pending = failureOf(
      collectChunks(waiting.createAsyncGenerator({ messages, signal: controller.signal })),
    );
    await replica.waitFor(() => replica.callsTo(WEBSIM_CHAT_ROUTE).at(-1)?.finished === true);
    const reason = new Error('user stop');
    controller.abort(reason);
    expect(await pending).toBe(reason);
  });

  describe('images', () => {
    const image = (extra = {}) =>
      collectChunks(provider.createAsyncGenerator({ model: 'flux', messages, ...extra }));

    it('posts the image request and yields an ImageResponse whose URL serves a PNG', async () => {
      const chunks = await image();
      expect(chunks).toHaveLength(1);
      const response = chunks[0] as ImageResponse;
      expect(response).toBeInstanceOf(ImageResponse);
      expect(response.alt).toBe('Draw a cat\nin the snow');
      const call = replica.callsTo(WEBSIM_IMAGE_ROUTE).at(-1)!;
      expect(call.headers.referer).toBe(
        `${replica.url}/@ISWEARIAMNOTADDICTEDTOPILLOW/ai-image-prompt-generator`,
      );
      const body = call.json as { project_id: string };
      expect(Object.keys(body)).toEqual(['project_id', 'prompt', 'aspect_ratio']);
      expect(body).toMatchObject({ prompt: 'Draw a cat\nin the snow', aspect_ratio: '1:1' });
      expect(body.project_id).toMatch(/^[a-z0-9]{7}_[a-z0-9]{12}$/);
      const png = await request(response.urls[0]!);
      expect(png.headers['content-type']).toBe('image/png');
      expect(Buffer.from(await png.body.arrayBuffer())).toEqual(ONE_PIXEL_PNG);
    });

    it('takes an explicit prompt and aspect ratio', async () => {
      const [response] = await image({ prompt: 'A lighthouse', aspectRatio: '16:9' });
      expect((response as ImageResponse).alt).toBe('A lighthouse');
      expect(replica.callsTo(WEBSIM_IMAGE_ROUTE).at(-1)!.json).toMatchObject({
        aspect_ratio: '16:9',
      });
    });

    it('surfaces a refused aspect ratio as a 400', async () => {
      const error = await failureOf(image({ aspectRatio: '7:3' }));
      assert(ResponseStatusError.isInstance(error));
      expect(error.status).toBe(400);
      expect(error.message).toBe('Response 400: Invalid aspect ratio');
    });

    it('does not retry a rate-limited image request', async () => {
      const before = replica.callsTo(WEBSIM_IMAGE_ROUTE).length;
      replica.fail(WEBSIM_IMAGE_ROUTE, rateLimited);
      expect(RateLimitError.isInstance(await failureOf(image()))).toBe(true);
      expect(replica.callsTo(WEBSIM_IMAGE_ROUTE).length - before).toBe(1);
      expect(sleeps).toEqual([]);
    });

    it('fails with EmptyAnswerError for {} or an empty URL, and on invalid JSON', async () => {
      for (const body of ['{}', '{"url":""}', '']) {
        replica.fail(WEBSIM_IMAGE_ROUTE, { kind: 'status', status: 200, body }, { times: 1 });
        assert(EmptyAnswerError.isInstance(await failureOf(image())), `for ${body}`);
      }
      replica.fail(
        WEBSIM_IMAGE_ROUTE,
        { kind: 'status', status: 200, body: '{"error":"Rate limit exceeded"}' },
        { times: 1 },
      );
      assert(RateLimitError.isInstance(await failureOf(image())));
      replica.fail(
        WEBSIM_IMAGE_ROUTE,
        { kind: 'status', status: 200, body: 'not json' },
        { times: 1 },
      );
      expect(StreamParseError.isInstance(await failureOf(image()))).toBe(true);
    });
  });
});
