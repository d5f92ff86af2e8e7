import {
  CloudflareError,
  collectChunks,
  EmptyAnswerError,
  joinText,
  ResponseStatusError,
} from '@g4f/core';
import { failureOf, runProviderConformance } from '@g4f/testing';
import { afterAll, afterEach, assert, beforeAll, describe, expect, it } from 'vitest';
import { Aura, aura } from './aura.js';
import { AURA_ROUTE, type AuraReplica, createAuraReplica } from './aura-replica.js';

runProviderConformance('Aura', {
  route: AURA_ROUTE,
  startReplica: () => createAuraReplica({ chunkDelayMs: 0 }),
  createProvider: (baseUrl) => new Aura({ baseUrl }),
  cutAfterBytes: 12,
  answer: 'Bonjour from the Aura replica: crème brûlée, naïve résumé 🍮 done.',
  expected: { label: 'Aura', defaultModel: 'openchat_3.6' },
});

const conversation = [
  { role: 'system' as const, content: 'You are terse.' },
  { role: 'user' as const, content: 'Hi' },
  { role: 'assistant' as const, content: 'Hello' },
  { role: 'system' as const, content: 'Answer in French.' },
  { role: 'user' as const, content: 'How are you?' },
];

describe('Aura against its replica', () => {
  let replica: AuraReplica;
  let provider: Aura;

  beforeAll(async () => {
    replica = await createAuraReplica();
    provider = new Aura({ baseUrl: replica.url });
  });
  afterEach(() => replica.clearFaults());
  afterAll(() => replica.close());

  it('has g4f metadata', () => {
    expect(aura.name).toBe('Aura');
    expect(aura.url).toBe('https://openchat.team');
    expect(aura.working).toBe(false);
    expect(aura.supportsMessageHistory).toBe(false);
    expect(aura.supportsSystemMessage).toBe(false);
  });

  it('moves system messages into prompt and sends the model object, field by field', async () => {
    await collectChunks(
      provider.createAsyncGenerator({ messages: conversation, temperature: 0.2, maxTokens: 100 }),
    );
    const call = replica.callsTo(AURA_ROUTE).at(-1)!;
    const body = call.json as object;
    expect(Object.keys(body)).toEqual(['model', 'messages', 'key', 'prompt', 'temperature']);
    expect(body).toEqual({
      model: {
        id: 'openchat_3.6',
        name: 'OpenChat 3.6 (latest)',
        maxLength: 24576,
        tokenLimit: 100,
      },
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: 'Hello' },
        { role: 'user', content: 'How are you?' },
      ],
      key: '',
      prompt: 'You are terse.\nAnswer in French.',
      temperature: 0.2,
    });
    expect(call.headers['content-type']).toBe('application/json');
    expect(call.headers.referer).toBe(replica.url);
    expect(call.headers['user-agent']).toMatch(/Chrome\/\d+/);
    expect(call.headers['sec-fetch-mode']).toBe('cors');
    // g4f's browser headers, value by value.
    expect(call.headers).toMatchObject({
      accept: '*/*',
      'accept-language': 'en-US',
      'sec-ch-ua': '"Chromium";v="136", "Google Chrome";v="136", "Not.A/Brand";v="99"',
      'sec-ch-ua-mobile': '?0',
      'sec-ch-ua-platform': '"Windows"',
      'sec-fetch-dest': 'empty',
      'sec-fetch-site': 'same-origin',
    });
    expect(call.headers['accept-encoding']).toBeUndefined();
  });

  it('defaults temperature to 0.5, tokenLimit to 8192 and prompt to empty', async () => {
    await collectChunks(
      provider.createAsyncGenerator({ messages: [{ role: 'user', content: 'x' }] }),
    );
    const body = replica.callsTo(AURA_ROUTE).at(-1)!.json as {
      temperature: number;
      model: { tokenLimit: number };
      prompt: string;
    };
    expect(body.temperature).toBe(0.5);
    expect(body.model.tokenLimit).toBe(8192);
    expect(body.prompt).toBe('');
  });

  it('sends cookies and headers from settings and from getRequestArgs, the latter winning', async () => {
    let calls = 0;
    const withArgs = new Aura({
      baseUrl: replica.url,
      cookies: { a: '1', b: 'settings' },
      headers: { 'x-from': 'settings' },
      getRequestArgs: async () => {
        calls++;
        return { cookies: { b: 'browser' }, headers: { 'user-agent': 'BrowserUA/1' } };
      },
    });
    await collectChunks(withArgs.createAsyncGenerator({ messages: conversation }));
    const call = replica.callsTo(AURA_ROUTE).at(-1)!;
    expect(call.headers.cookie).toBe('a=1; b=browser');
    expect(call.headers['x-from']).toBe('settings');
    expect(call.headers['user-agent']).toBe('BrowserUA/1');
    expect(calls).toBe(1);
  });

  it('maps the chatbot-ui 500 "Error" answer to ResponseStatusError', async () => {
    replica.fail(AURA_ROUTE, {
      kind: 'status',
      status: 500,
      body: 'Error',
      statusText: 'model overloaded',
    });
    const error = await failureOf(
      collectChunks(provider.createAsyncGenerator({ messages: conversation })),
    );
    assert(ResponseStatusError.isInstance(error));
    expect(error.message).toBe('Response 500: Error');
  });

  it('raises EmptyAnswerError for an empty 200 body and refuses a 200 challenge page', async () => {
    replica.fail(AURA_ROUTE, { kind: 'status', status: 200, body: '' }, { times: 1 });
    const empty = await failureOf(
      collectChunks(provider.createAsyncGenerator({ messages: conversation })),
    );
    expect(EmptyAnswerError.isInstance(empty)).toBe(true);
    replica.fail(AURA_ROUTE, { kind: 'cloudflare', status: 200 }, { times: 1 });
    const error = await failureOf(
      collectChunks(provider.createAsyncGenerator({ messages: conversation })),
    );
    assert(CloudflareError.isInstance(error));
  });
});

describe('Aura with a cookie-checking replica', () => {
  it('is refused without the clearance cookie and answers with it', async () => {
    const replica = await createAuraReplica({ requireCookie: true, chunkDelayMs: 0 });
    try {
      const bare = new Aura({ baseUrl: replica.url });
      const error = await failureOf(
        collectChunks(bare.createAsyncGenerator({ messages: conversation })),
      );
      assert(CloudflareError.isInstance(error));
      const [name, value] = replica.clearanceCookie.split('=') as [string, string];
      const cleared = new Aura({
        baseUrl: replica.url,
        getRequestArgs: () => ({ cookies: { [name]: value } }),
      });
      expect(
        joinText(await collectChunks(cleared.createAsyncGenerator({ messages: conversation }))),
      ).toBe(replica.state.answer);
    } finally {
      await replica.close();
    }
  });
});
