import {
  type Chunk,
  collectChunks,
  FinishReason,
  ImageResponse,
  joinText,
  joinToolCalls,
  MissingAuthError,
  NetworkError,
  Reasoning,
  ResponseStatusError,
  StreamParseError,
  ToolCalls,
  UnexpectedResponseError,
  Usage,
} from '@g4f/core';
import { chunksBeforeFailure, failureOf, runProviderConformance } from '@g4f/testing';
import fc from 'fast-check';
import { afterAll, afterEach, assert, beforeAll, describe, expect, it } from 'vitest';
import { OpenaiCompatible } from './openai-compatible.js';
import {
  CHAT_ROUTE,
  createOpenaiCompatibleReplica,
  defaultOpenaiState,
  IMAGES_ROUTE,
  MODELS_ROUTE,
  type OpenaiCompatibleReplica,
  PIXEL_PNG_BASE64,
} from './openai-compatible-replica.js';

const ANSWER = defaultOpenaiState().answer;

runProviderConformance('OpenaiCompatible', {
  route: CHAT_ROUTE,
  startReplica: () => createOpenaiCompatibleReplica({ chunkDelayMs: 0 }),
  createProvider: (baseUrl) =>
    new OpenaiCompatible({ baseUrl: `${baseUrl}/v1`, models: ['gpt-4o-mini', 'llama3.2'] }),
  // Inside the fourth event: after the role event and two text deltas (about 180 bytes each).
  cutAfterBytes: 600,
  answer: ANSWER,
  expected: {
    label: 'OpenAI-compatible API',
    defaultModel: 'gpt-4o-mini',
    unknownModel: 'gpt-9',
  },
});

const messages = [
  { role: 'system' as const, content: 'Be brief' },
  { role: 'user' as const, content: 'Hi' },
];

describe('OpenaiCompatible against its replica', () => {
  let replica: OpenaiCompatibleReplica;
  let provider: OpenaiCompatible;
  const fresh = () => ({ ...defaultOpenaiState(), chunkDelayMs: 0 });

  beforeAll(async () => {
    replica = await createOpenaiCompatibleReplica({ chunkDelayMs: 0 });
    provider = new OpenaiCompatible({ baseUrl: replica.baseUrl, defaultModel: 'gpt-4o-mini' });
  });
  afterEach(() => {
    replica.clearFaults();
    Object.assign(replica.state, fresh());
  });
  afterAll(() => replica.close());

  it('has the metadata of g4f OpenaiTemplate, named by the settings', () => {
    expect(provider.name).toBe('OpenaiTemplate');
    expect(provider.supportsSystemMessage).toBe(true);
    expect(provider.supportsMessageHistory).toBe(true);
    expect(provider.working).toBe(true);
    expect(provider.needsAuth).toBe(false);
    const named = new OpenaiCompatible({ baseUrl: replica.baseUrl, name: 'Local', label: 'L' });
    expect([named.name, named.label, named.defaultModel]).toEqual(['Local', 'L', '']);
    expect(() => new OpenaiCompatible({} as { baseUrl: string })).toThrow('settings.baseUrl');
  });

  it('sends the request g4f sends, field by field', async () => {
    const keyed = new OpenaiCompatible({
      baseUrl: replica.baseUrl,
      apiKey: 'sk-test',
      defaultModel: 'gpt-4o-mini',
    });
    await collectChunks(
      keyed.createAsyncGenerator({
        messages,
        temperature: 0.3,
        max_tokens: 50,
        stop: ['END'],
        tools: [{ type: 'function', function: { name: 'f', parameters: {} } }],
        tool_choice: 'auto',
        extra_body: { seed: 7 },
        // Not protocol fields: must stay local.
        ...({ web_search: true, health: {} } as object),
      }),
    );
    const call = replica.callsTo(CHAT_ROUTE).at(-1)!;
    expect(call.path).toBe('/v1/chat/completions');
    expect(call.headers.accept).toBe('text/event-stream');
    expect(call.headers['content-type']).toBe('application/json');
    expect(call.headers.authorization).toBe('Bearer sk-test');
    expect(call.json).toEqual({
      messages,
      model: 'gpt-4o-mini',
      temperature: 0.3,
      max_tokens: 50,
      stop: ['END'],
      tools: [{ type: 'function', function: { name: 'f', parameters: {} } }],
      tool_choice: 'auto',
      stream: true,
      stream_options: { include_usage: true },
      seed: 7,
    });
  });

  it('sends no Authorization header without a key, and JSON accept when not streaming', async () => {
    await collectChunks(provider.createAsyncGenerator({ messages, stream: false }));
    const call = replica.callsTo(CHAT_ROUTE).at(-1)!;
    expect(call.headers.authorization).toBeUndefined();
    expect(call.headers.accept).toBe('application/json');
    expect(call.json).toEqual({ messages, model: 'gpt-4o-mini', stream: false });
  });

  it('streams reasoning apart from the text, then usage and the finish reason', async () => {
    replica.state.reasoning = 'Think first.';
    replica.state.answer = '   Hello there';
    const chunks = await collectChunks(provider.createAsyncGenerator({ messages }));
    expect(joinText(chunks)).toBe('Hello there');
    const reasoning = chunks.filter((c): c is Reasoning => c instanceof Reasoning);
    expect(reasoning.map((r) => r.text).join('')).toBe('Think first.');
    expect(chunks.findIndex((c) => c instanceof Reasoning)).toBeLessThan(
      chunks.findIndex((c) => typeof c === 'string'),
    );
    const usage = chunks.find((c): c is Usage => c instanceof Usage);
    expect([usage?.promptTokens, usage?.completionTokens, usage?.totalTokens]).toEqual([
      12, 34, 46,
    ]);
    expect(chunks.find((c) => c instanceof FinishReason)).toEqual(new FinishReason('stop'));
  });

  it('streams tool calls as typed chunks that join into the whole calls', async () => {
    const chunks = await collectChunks(
      provider.createAsyncGenerator({
        messages,
        tools: [{ type: 'function', function: { name: 'get_weather' } }],
      }),
    );
    expect(joinText(chunks)).toBe('');
    const pieces = chunks.flatMap((c) => (c instanceof ToolCalls ? c.calls : []));
    expect(pieces.length).toBeGreaterThan(2);
    expect(joinToolCalls(pieces)).toEqual(replica.state.toolCalls);
    expect(chunks.find((c) => c instanceof FinishReason)).toEqual(new FinishReason('tool_calls'));
  });

  it('reads a whole JSON answer: trimmed text, reasoning, tool calls, usage, finish', async () => {
    replica.state.answer = '  Whole answer \n';
    replica.state.reasoning = 'R';
    const text = await collectChunks(provider.createAsyncGenerator({ messages, stream: false }));
    expect(text).toEqual([
      new Reasoning('R'),
      'Whole answer',
      new Usage(12, 34, 46),
      new FinishReason('stop'),
    ]);
    const tools = await collectChunks(
      provider.createAsyncGenerator({ messages, stream: false, tools: [{ type: 'function' }] }),
    );
    const calls = tools.find((c): c is ToolCalls => c instanceof ToolCalls);
    expect(joinToolCalls(calls?.calls ?? [])).toEqual(replica.state.toolCalls);
  });

  it('gives the same chunks however the SSE bytes are cut', async () => {
    replica.state.reasoning = 'Why: ☕';
    const expected = await collectChunks(provider.createAsyncGenerator({ messages }));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1, maxLength: 6 }),
        async (sizes) => {
          replica.clearFaults();
          replica.fail(CHAT_ROUTE, { kind: 'chunks', sizes }, { times: 1 });
          const chunks = await collectChunks(provider.createAsyncGenerator({ messages }));
          // Deltas may merge or split differently; the joined text and typed chunks may not.
          expect(joinText(chunks)).toBe(joinText(expected));
          const typed = (list: Chunk[]) =>
            list.filter((c) => typeof c !== 'string' && !(c instanceof Reasoning));
          expect(typed(chunks)).toEqual(typed(expected));
          const thought = (list: Chunk[]) =>
            list.flatMap((c) => (c instanceof Reasoning ? [c.text] : [])).join('');
          expect(thought(chunks)).toBe(thought(expected));
        },
      ),
      { numRuns: 25 },
    );
  });

  it('raises an error event inside a 200 stream after the text before it', async () => {
    replica.state.errorAfterDeltas = 2;
    const { chunks, error } = await chunksBeforeFailure(
      provider.createAsyncGenerator({ messages }),
    );
    assert(UnexpectedResponseError.isInstance(error));
    expect(error.message).toBe(
      'OpenAI-compatible API: The server had an error while processing your request.',
    );
    expect(joinText(chunks)).toBe([...ANSWER].slice(0, 12).join(''));
  });

  it('refuses a stream that ends with neither [DONE] nor a finish reason', async () => {
    replica.state.streamEnd = 'none';
    const { chunks, error } = await chunksBeforeFailure(
      provider.createAsyncGenerator({ messages }),
    );
    assert(NetworkError.isInstance(error));
    expect(error.isRetryable).toBe(true);
    expect(error.message).toContain('ended before [DONE] or a finish reason');
    expect(joinText(chunks)).toBe(ANSWER);
  });

  it('accepts a stream that ends after its finish reason without [DONE]', async () => {
    replica.state.streamEnd = 'finish-only';
    const chunks = await collectChunks(provider.createAsyncGenerator({ messages }));
    expect(joinText(chunks)).toBe(ANSWER);
    expect(chunks.at(-1)).toEqual(new FinishReason('stop'));
  });

  it('raises bad JSON in the stream as a StreamParseError after the text so far', async () => {
    replica.fail(CHAT_ROUTE, {
      kind: 'status',
      status: 200,
      contentType: 'text/event-stream',
      body: 'data: {"choices":[{"delta":{"content":"Hi"}}]}\n\ndata: {oops\n\n',
    });
    const { chunks, error } = await chunksBeforeFailure(
      provider.createAsyncGenerator({ messages }),
    );
    assert(StreamParseError.isInstance(error));
    expect(error.kind).toBe('invalid-json');
    expect(chunks).toEqual(['Hi']);
  });

  it("raises an error object in a 200 JSON answer, and OpenAI's error bodies by status", async () => {
    replica.fail(
      CHAT_ROUTE,
      {
        kind: 'status',
        status: 200,
        contentType: 'application/json',
        body: '{"error":{"message":"quota exceeded","type":"insufficient_quota"}}',
      },
      { times: 1 },
    );
    const inBody = await failureOf(collectChunks(provider.createAsyncGenerator({ messages })));
    assert(UnexpectedResponseError.isInstance(inBody));
    expect(inBody.message).toBe('OpenAI-compatible API: Response 200: quota exceeded');

    const unknown = await failureOf(
      collectChunks(provider.createAsyncGenerator({ messages, model: 'gpt-9' })),
    );
    assert(ResponseStatusError.isInstance(unknown));
    expect(unknown.status).toBe(404);
    expect(unknown.message).toBe(
      'Response 404: The model `gpt-9` does not exist or you do not have access to it.',
    );

    replica.state.apiKey = 'sk-right';
    const keyed = new OpenaiCompatible({ baseUrl: replica.baseUrl, apiKey: 'sk-wrong' });
    const denied = await failureOf(
      collectChunks(keyed.createAsyncGenerator({ messages, model: 'gpt-4o-mini' })),
    );
    assert(MissingAuthError.isInstance(denied));
    expect(denied.status).toBe(401);
    expect(denied.message).toMatch(/^Response 401: Incorrect API key provided/);
    const perCall = await collectChunks(
      keyed.createAsyncGenerator({ messages, model: 'gpt-4o-mini', apiKey: 'sk-right' }),
    );
    expect(joinText(perCall)).toBe(ANSWER);
  });

  it('refuses a call without a key before sending anything when it needs auth', async () => {
    const locked = new OpenaiCompatible({ baseUrl: replica.baseUrl, needsAuth: true });
    const before = replica.calls.length;
    const error = await failureOf(collectChunks(locked.createAsyncGenerator({ messages })));
    assert(MissingAuthError.isInstance(error));
    expect(error.message).toBe('Add a "api_key"');
    expect(replica.calls.length).toBe(before);
  });

  it('refuses an answer of an unexpected content type', async () => {
    replica.fail(CHAT_ROUTE, {
      kind: 'status',
      status: 200,
      contentType: 'text/plain',
      body: 'hm',
    });
    const error = await failureOf(collectChunks(provider.createAsyncGenerator({ messages })));
    assert(UnexpectedResponseError.isInstance(error));
    expect(error.message).toContain('unexpected content-type "text/plain"');
  });
});

describe('OpenaiCompatible models and images', () => {
  let replica: OpenaiCompatibleReplica;

  beforeAll(async () => {
    replica = await createOpenaiCompatibleReplica({ chunkDelayMs: 0 });
  });
  afterEach(() => {
    replica.clearFaults();
    replica.state.imageAnswer = 'url';
  });
  afterAll(() => replica.close());

  it('lists the server models once per instance, with image models detected', async () => {
    const provider = new OpenaiCompatible({ baseUrl: replica.baseUrl, apiKey: 'k' });
    const before = replica.callsTo(MODELS_ROUTE).length;
    expect(await provider.getModels()).toEqual(['gpt-4o-mini', 'llama3.2', 'flux']);
    expect(await provider.listModels()).toContainEqual({ id: 'flux', image: true, vision: false });
    expect(replica.callsTo(MODELS_ROUTE).length).toBe(before + 1);
    expect(replica.callsTo(MODELS_ROUTE).at(-1)!.headers.authorization).toBe('Bearer k');
  });

  it.each([
    ['a bare list', '[{"id":"a"},{"name":"b","supports_images":true},"c"]'],
    ['{"models": [...]}', '{"models":[{"id":"a"},{"name":"b","type":"image"},{"id":"c"}]}'],
  ])('reads %s', async (_, body) => {
    replica.fail(MODELS_ROUTE, {
      kind: 'status',
      status: 200,
      contentType: 'application/json',
      body,
    });
    const provider = new OpenaiCompatible({ baseUrl: replica.baseUrl });
    const models = await provider.listModels();
    expect(models.map((m) => m.id)).toEqual(['a', 'b', 'c']);
    expect(models.filter((m) => m.image).map((m) => m.id)).toEqual(['b']);
  });

  it('falls back to fallbackModels when /models fails, else raises the typed error', async () => {
    replica.fail(MODELS_ROUTE, { kind: 'status', status: 500, body: 'down' });
    const withFallback = new OpenaiCompatible({
      baseUrl: replica.baseUrl,
      fallbackModels: ['x', 'y'],
    });
    expect(await withFallback.getModels()).toEqual(['x', 'y']);
    const bare = new OpenaiCompatible({ baseUrl: replica.baseUrl });
    const error = await failureOf(bare.getModels());
    assert(ResponseStatusError.isInstance(error));
    expect(error.status).toBe(500);
    replica.clearFaults();
    // A failure is not cached: the next call asks again.
    expect(await bare.getModels()).toContain('flux');
  });

  it('makes images through /images/generations: URLs, b64_json, size', async () => {
    const provider = new OpenaiCompatible({ baseUrl: replica.baseUrl, imageModels: ['flux'] });
    const [image] = await collectChunks(
      provider.createAsyncGenerator({
        model: 'flux',
        messages: [{ role: 'user', content: 'a red fox' }],
        width: 512,
        height: 256,
      }),
    );
    assert(image instanceof ImageResponse);
    expect(image.urls).toEqual(['https://images.invalid/a%20red%20fox.png']);
    expect(image.alt).toBe('a red fox');
    expect(replica.callsTo(IMAGES_ROUTE).at(-1)!.json).toEqual({
      prompt: 'a red fox',
      model: 'flux',
      width: 512,
      height: 256,
    });

    replica.state.imageAnswer = 'b64_json';
    const [encoded] = await collectChunks(
      provider.createAsyncGenerator({ messages, prompt: 'dot', model: 'flux', size: '1x1' }),
    );
    assert(encoded instanceof ImageResponse);
    expect(encoded.urls).toEqual([`data:image/png;base64,${PIXEL_PNG_BASE64}`]);
    expect(replica.callsTo(IMAGES_ROUTE).at(-1)!.json).toEqual({
      prompt: 'dot',
      model: 'flux',
      size: '1x1',
    });
  });

  it('refuses a text/plain image answer', async () => {
    replica.state.imageAnswer = 'text';
    const provider = new OpenaiCompatible({ baseUrl: replica.baseUrl, imageModels: ['flux'] });
    const error = await failureOf(
      collectChunks(provider.createAsyncGenerator({ model: 'flux', messages })),
    );
    assert(UnexpectedResponseError.isInstance(error));
    expect(error.message).toBe('OpenAI-compatible API: Image generation is down');
  });
});
