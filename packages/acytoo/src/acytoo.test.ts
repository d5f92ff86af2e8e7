import {
  CloudflareError,
  collectChunks,
  EmptyAnswerError,
  joinText,
  RequestTimeoutError,
  ResponseStatusError,
} from '@g4f/core';
import { htmlErrorPage } from '@g4f/core/replica';
import { chunksBeforeFailure, failureOf, runProviderConformance } from '@g4f/testing';
import { afterAll, afterEach, assert, beforeAll, describe, expect, it } from 'vitest';
import { Acytoo, acytoo } from './acytoo.js';
import { ACYTOO_ROUTE, type AcytooReplica, createAcytooReplica } from './acytoo-replica.js';

runProviderConformance('Acytoo', {
  route: ACYTOO_ROUTE,
  startReplica: () => createAcytooReplica({ chunkDelayMs: 0 }),
  createProvider: (baseUrl) => new Acytoo({ baseUrl }),
  cutAfterBytes: 20,
  answer: 'Hello from the Acytoo replica — naïve café, déjà vu ☕ 👋',
  expected: { label: 'Acytoo', defaultModel: 'gpt-3.5-turbo' },
});

describe('Acytoo against its replica', () => {
  let replica: AcytooReplica;
  let provider: Acytoo;
  const messages = [
    { role: 'system' as const, content: 'Be brief' },
    { role: 'user' as const, content: 'Hi' },
  ];

  beforeAll(async () => {
    replica = await createAcytooReplica();
    provider = new Acytoo({ baseUrl: replica.url });
  });
  afterEach(() => replica.clearFaults());
  afterAll(() => replica.close());

  it('has g4f metadata', () => {
    expect(acytoo.name).toBe('Acytoo');
    expect(acytoo.url).toBe('https://chat.acytoo.com');
    expect(acytoo.working).toBe(false);
    expect(acytoo.supportsMessageHistory).toBe(true);
    expect(acytoo.supportsStream).toBe(true);
    expect(acytoo.supportsSystemMessage).toBe(false);
  });

  it('sends the request g4f sent, field by field', async () => {
    await collectChunks(
      provider.createAsyncGenerator({ model: 'anything', messages, temperature: 0.9 }),
    );
    const call = replica.callsTo(ACYTOO_ROUTE).at(-1)!;
    expect(call.method).toBe('POST');
    expect(call.path).toBe('/api/completions');
    expect(call.headers.accept).toBe('*/*');
    expect(call.headers['content-type']).toBe('application/json');
    expect(Object.keys(call.json as object)).toEqual([
      'key',
      'model',
      'messages',
      'temperature',
      'password',
    ]);
    expect(call.json).toEqual({
      key: '',
      model: 'gpt-3.5-turbo',
      messages,
      temperature: 0.9,
      password: '',
    });
  });

  it('sends temperature 0.5 by default', async () => {
    await collectChunks(provider.createAsyncGenerator({ messages }));
    expect(replica.callsTo(ACYTOO_ROUTE).at(-1)!.json).toMatchObject({ temperature: 0.5 });
  });

  it('raises EmptyAnswerError for an empty 200 body (g4f ended with nothing)', async () => {
    replica.fail(ACYTOO_ROUTE, { kind: 'status', status: 200, body: '' });
    const error = await failureOf(collectChunks(provider.createAsyncGenerator({ messages })));
    expect(EmptyAnswerError.isInstance(error)).toBe(true);
  });

  it('passes a 200 JSON error object through as text, as g4f did', async () => {
    const body = '{"error":"quota"}';
    replica.fail(ACYTOO_ROUTE, {
      kind: 'status',
      status: 200,
      body,
      contentType: 'application/json',
    });
    expect(joinText(await collectChunks(provider.createAsyncGenerator({ messages })))).toBe(body);
  });

  it('refuses a 200 HTML page instead of yielding it', async () => {
    replica.fail(ACYTOO_ROUTE, { kind: 'cloudflare', status: 200 });
    const challenge = await failureOf(collectChunks(provider.createAsyncGenerator({ messages })));
    assert(CloudflareError.isInstance(challenge));
    replica.fail(ACYTOO_ROUTE, {
      kind: 'status',
      status: 200,
      body: htmlErrorPage,
      contentType: 'text/html',
    });
    const page = await failureOf(collectChunks(provider.createAsyncGenerator({ messages })));
    assert(ResponseStatusError.isInstance(page));
  });

  it('surfaces the replica rejecting a bad temperature as a 400', async () => {
    const error = await failureOf(
      collectChunks(provider.createAsyncGenerator({ messages, temperature: 5 })),
    );
    assert(ResponseStatusError.isInstance(error));
    expect(error.status).toBe(400);
    expect(error.message).toBe('Response 400: Bad Request');
  });

  it('ends a long gap in the stream with a timeout after the text so far', async () => {
    replica.fail(ACYTOO_ROUTE, { kind: 'stall', afterBytes: 10 });
    const { chunks: seen, error } = await chunksBeforeFailure(
      provider.createAsyncGenerator({ messages, timeout: 150 }),
    );
    assert(RequestTimeoutError.isInstance(error));
    expect(seen.join('')).toBe(Buffer.from(replica.state.answer).subarray(0, 10).toString());
  });
});
