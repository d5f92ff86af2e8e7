import {
  collectChunks,
  FinishReason,
  joinText,
  NetworkError,
  Reasoning,
  ResponseStatusError,
  Usage,
} from '@g4f/core';
import { chunksBeforeFailure, failureOf, runProviderConformance } from '@g4f/testing';
import { afterAll, afterEach, assert, beforeAll, describe, expect, it } from 'vitest';
import { createOllama, Ollama } from './ollama.js';
import {
  createOllamaReplica,
  OLLAMA_CHAT_ROUTE,
  OLLAMA_TAGS_ROUTE,
  type OllamaReplica,
} from './ollama-replica.js';
import { CHAT_ROUTE, defaultOpenaiState, MODELS_ROUTE } from './openai-compatible-replica.js';

const ANSWER = defaultOpenaiState().answer;
const messages = [{ role: 'user' as const, content: 'Hi' }];

runProviderConformance('Ollama', {
  route: OLLAMA_CHAT_ROUTE,
  startReplica: () => createOllamaReplica({ chunkDelayMs: 0 }),
  createProvider: (baseUrl) => new Ollama({ baseUrl }),
  // Inside the second NDJSON line.
  cutAfterBytes: 200,
  answer: ANSWER,
  expected: {
    label: 'Ollama 🦙',
    defaultModel: 'llama3.2',
    aliases: { 'gpt-oss-120b': 'gpt-oss:120b', 'gpt-oss-20b': 'gpt-oss:20b' },
  },
});

describe('Ollama against its replica', () => {
  let replica: OllamaReplica;
  let provider: Ollama;

  beforeAll(async () => {
    replica = await createOllamaReplica({ chunkDelayMs: 0 });
    provider = new Ollama({ baseUrl: `${replica.url}/v1` });
  });
  afterEach(() => {
    replica.clearFaults();
    replica.state.thinking = '';
    replica.state.omitDone = false;
  });
  afterAll(() => replica.close());

  it('finds the server from OLLAMA_HOST and OLLAMA_PORT as g4f does', () => {
    const saved = { host: process.env.OLLAMA_HOST, port: process.env.OLLAMA_PORT };
    try {
      delete process.env.OLLAMA_HOST;
      delete process.env.OLLAMA_PORT;
      expect(createOllama().url).toBe('http://127.0.0.1:11434');
      process.env.OLLAMA_HOST = 'gpu-box';
      process.env.OLLAMA_PORT = '8000';
      expect(createOllama().url).toBe('http://gpu-box:8000');
      process.env.OLLAMA_HOST = 'https://ollama.example/';
      expect(createOllama().url).toBe('https://ollama.example');
      expect(createOllama({ baseUrl: 'http://10.0.0.2:11434/v1/' }).url).toBe(
        'http://10.0.0.2:11434',
      );
    } finally {
      for (const [key, value] of [
        ['OLLAMA_HOST', saved.host],
        ['OLLAMA_PORT', saved.port],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  it('posts {model, messages} to the native /api/chat for a local model', async () => {
    replica.state.thinking = 'Hmm, a greeting.';
    const chunks = await collectChunks(provider.createAsyncGenerator({ messages }));
    const call = replica.callsTo(OLLAMA_CHAT_ROUTE).at(-1)!;
    expect(call.json).toEqual({ model: 'llama3.2', messages });
    expect(joinText(chunks)).toBe(ANSWER);
    expect(chunks.flatMap((c) => (c instanceof Reasoning ? [c.text] : [])).join('')).toBe(
      'Hmm, a greeting.',
    );
    expect(chunks.slice(-2)).toEqual([new Usage(26, 290), new FinishReason('stop')]);
  });

  it('lists the local models from /api/tags once', async () => {
    const fresh = new Ollama({ baseUrl: replica.url });
    const before = replica.callsTo(OLLAMA_TAGS_ROUTE).length;
    expect(await fresh.getModels()).toEqual(['llama3.2:latest', 'qwen3:0.6b']);
    await collectChunks(fresh.createAsyncGenerator({ messages, model: 'qwen3:0.6b' }));
    expect(replica.callsTo(OLLAMA_TAGS_ROUTE).length).toBe(before + 1);
  });

  it('sends models that are not pulled, and calls with tools, to the /v1 routes', async () => {
    const before = replica.callsTo(OLLAMA_CHAT_ROUTE).length;
    const remote = await collectChunks(
      provider.createAsyncGenerator({ messages, model: 'gpt-4o-mini' }),
    );
    expect(joinText(remote)).toBe(ANSWER);
    expect(replica.callsTo(CHAT_ROUTE).at(-1)!.json).toMatchObject({ model: 'gpt-4o-mini' });
    await collectChunks(provider.createAsyncGenerator({ messages, tools: [{ type: 'function' }] }));
    expect(replica.callsTo(CHAT_ROUTE).at(-1)!.json).toMatchObject({ model: 'llama3.2' });
    expect(replica.callsTo(OLLAMA_CHAT_ROUTE).length).toBe(before);
  });

  it('falls back to /v1/models when /api/tags does not answer', async () => {
    replica.fail(OLLAMA_TAGS_ROUTE, { kind: 'status', status: 404, body: '404 page not found' });
    const fresh = new Ollama({ baseUrl: replica.url });
    expect(await fresh.getModels()).toEqual(['gpt-4o-mini', 'llama3.2', 'flux']);
    expect(replica.callsTo(MODELS_ROUTE).length).toBeGreaterThan(0);
  });

  it("raises Ollama's error for a model it does not have", async () => {
    replica.fail(
      OLLAMA_CHAT_ROUTE,
      {
        kind: 'status',
        status: 404,
        contentType: 'application/json',
        body: '{"error":"model \\"llama3.2\\" not found, try pulling it first"}',
      },
      { times: 1 },
    );
    const error = await failureOf(collectChunks(provider.createAsyncGenerator({ messages })));
    assert(ResponseStatusError.isInstance(error));
    expect(error.message).toBe('Response 404: model "llama3.2" not found, try pulling it first');
  });

  it('refuses a native stream that ends without its done line', async () => {
    replica.state.omitDone = true;
    const { chunks, error } = await chunksBeforeFailure(
      provider.createAsyncGenerator({ messages }),
    );
    assert(NetworkError.isInstance(error));
    expect(joinText(chunks)).toBe(ANSWER);
  });
});
