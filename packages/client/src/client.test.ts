import { Acytoo } from '@g4f/acytoo';
import { ACYTOO_ROUTE, type AcytooReplica, createAcytooReplica } from '@g4f/acytoo/replica';
import { Aura } from '@g4f/aura';
import { type AuraReplica, createAuraReplica } from '@g4f/aura/replica';
import { ChatgptFree } from '@g4f/chatgptfree';
import { type ChatgptFreeReplica, createChatgptFreeReplica } from '@g4f/chatgptfree/replica';
import {
  BaseProvider,
  type Chunk,
  type CreateOptions,
  createMemoryStore,
  EmptyAnswerError,
  FinishReason,
  InvalidArgumentError,
  ModelNotSupportedError,
  type Provider,
} from '@g4f/core';
import { RobocodersAPI } from '@g4f/robocoders';
import { createRobocodersReplica, type RobocodersReplica } from '@g4f/robocoders/replica';
import { failureOf } from '@g4f/testing';
import { Websim } from '@g4f/websim';
import { createWebsimReplica, type WebsimReplica } from '@g4f/websim/replica';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './client.js';
import { ProviderNotFoundError, RetryNoProviderError } from './errors.js';
import { countTokens } from './tokens.js';
import type { ChatCompletionChunk } from './types.js';

/** A provider that yields a fixed list of chunks: for chunk kinds no replica sends. */
class Scripted extends BaseProvider {
  readonly label: string;
  readonly url = 'http://127.0.0.1';
  override readonly defaultModel = 'scripted';
  constructor(
    readonly name: string,
    private readonly chunks: Chunk[],
  ) {
    super();
    this.label = name;
  }
  async *createAsyncGenerator(_options: CreateOptions): AsyncGenerator<Chunk, void, undefined> {
    yield* this.chunks;
  }
}

let acytooReplica: AcytooReplica;
let auraReplica: AuraReplica;
let chatgptfreeReplica: ChatgptFreeReplica;
let robocodersReplica: RobocodersReplica;
let websimReplica: WebsimReplica;
let providers: Provider[];

beforeAll(async () => {
  [acytooReplica, auraReplica, chatgptfreeReplica, robocodersReplica, websimReplica] =
    await Promise.all([
      createAcytooReplica({ chunkDelayMs: 0 }),
      createAuraReplica({ chunkDelayMs: 0 }),
      createChatgptFreeReplica(),
      createRobocodersReplica(),
      createWebsimReplica(),
    ]);
  providers = [
    new Acytoo({ baseUrl: acytooReplica.url }),
    new Aura({ baseUrl: auraReplica.url }),
    new ChatgptFree({ baseUrl: chatgptfreeReplica.url }),
    new RobocodersAPI({ baseUrl: robocodersReplica.url, store: createMemoryStore() }),
    new Websim({ baseUrl: websimReplica.url }),
  ];
});

afterAll(async () => {
  await Promise.all(
    [acytooReplica, auraReplica, chatgptfreeReplica, robocodersReplica, websimReplica].map((r) =>
      r?.close(),
    ),
  );
});

async function readAll(stream: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

describe('chat.completions.create against each replica', () => {
  const cases = [
    ['Acytoo', () => acytooReplica.state.answer],
    ['Aura', () => auraReplica.state.answer],
    ['ChatgptFree', () => chatgptfreeReplica.state.answer],
    ['RobocodersAPI', () => robocodersReplica.state.pieces.join('')],
    ['Websim', () => websimReplica.state.answer],
  ] as const;

  it.each(cases)('%s: the whole answer in OpenAI shape', async (name, answer) => {
    const client = new Client({ providers });
    const completion = await client.chat.completions.create({
      provider: name,
      messages: [{ role: 'user', content: 'Say hello.' }],
    });
    const provider = providers.find((p) => p.name === name)!;
    expect(completion).toEqual({
      id: expect.stringMatching(/^chatcmpl-[A-Za-z0-9]{28}$/),
      object: 'chat.completion',
      created: expect.any(Number),
      model: provider.defaultModel,
      provider: name,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: answer(), refusal: null },
          finish_reason: 'stop',
          logprobs: null,
        },
      ],
      usage: {
        prompt_tokens: expect.any(Number),
        completion_tokens: countTokens(answer()),
        total_tokens: expect.any(Number),
        prompt_tokens_details: { cached_tokens: 0 },
      },
    });
    expect(Math.abs(completion.created - Date.now() / 1000)).toBeLessThan(60);
    expect(completion.usage.prompt_tokens).toBeGreaterThan(0);
    expect(completion.usage.total_tokens).toBe(
      completion.usage.prompt_tokens + completion.usage.completion_tokens,
    );
  });

  it.each(cases)(
    '%s: streamed chunks share one id and end with reason and usage',
    async (name, answer) => {
      const client = new Client({ providers });
      const stream = await client.chat.completions.create({
        provider: name,
        messages: 'Say hello.',
        stream: true,
      });
      const chunks = await readAll(stream);
      expect(chunks.length).toBeGreaterThanOrEqual(2);
      expect(new Set(chunks.map((c) => c.id))).toEqual(new Set([stream.id]));
      for (const chunk of chunks) {
        expect(chunk.object).toBe('chat.completion.chunk');
        expect(chunk.provider).toBe(name);
        expect(chunk.choices[0].delta.role).toBe('assistant');
      }
      const body = chunks.slice(0, -1);
      expect(body.every((c) => c.choices[0].finish_reason === null && c.usage === null)).toBe(true);
      expect(body.map((c) => c.choices[0].delta.content).join('')).toBe(answer());
      const last = chunks.at(-1)!;
      expect(last.choices[0]).toEqual({
        index: 0,
        delta: { role: 'assistant', content: '' },
        finish_reason: 'stop',
        logprobs: null,
      });
      expect(last.usage?.completion_tokens).toBe(countTokens(answer()));
    },
  );
});

describe('chat.completions.create options', () => {
  it('leaves usage out of a stream with stream_options.include_usage false', async () => {
    const client = new Client({ providers, provider: 'Aura' });
    const stream = await client.chat.completions.create({
      messages: 'hi',
      stream: true,
      stream_options: { include_usage: false },
    });
    const chunks = await readAll(stream);
    expect(chunks.at(-1)!.choices[0].finish_reason).toBe('stop');
    expect(chunks.every((c) => c.usage === null)).toBe(true);
    expect(chunks.map((c) => c.choices[0].delta.content).join('')).toBe(auraReplica.state.answer);
  });

  it('takes a plain string as one user message', async () => {
    const client = new Client({ providers, provider: 'Acytoo' });
    const before = acytooReplica.callsTo(ACYTOO_ROUTE).length;
    await client.chat.completions.create({ messages: 'Just this' });
    const sent = JSON.parse(acytooReplica.callsTo(ACYTOO_ROUTE)[before]!.text) as {
      messages: unknown;
    };
    expect(sent.messages).toEqual([{ role: 'user', content: 'Just this' }]);
  });

  it('finds providers by label too', async () => {
    const client = new Client({ providers });
    const completion = await client.chat.completions.create({
      provider: 'API Robocoders AI',
      messages: 'hi',
    });
    expect(completion.provider).toBe('RobocodersAPI');
  });

  it('passes provider options through', async () => {
    const client = new Client({ providers, provider: 'Acytoo' });
    const before = acytooReplica.callsTo(ACYTOO_ROUTE).length;
    await client.chat.completions.create({ messages: 'hi', temperature: 1.5 });
    const sent = JSON.parse(acytooReplica.callsTo(ACYTOO_ROUTE)[before]!.text) as {
      temperature: number;
    };
    expect(sent.temperature).toBe(1.5);
  });

  it('cuts at a stop string split across chunks', async () => {
    // 7-byte writes split "déjà" across two chunks.
    const client = new Client({ providers, provider: 'Acytoo' });
    const stop = 'déjà';
    const cut = acytooReplica.state.answer.indexOf(stop);
    expect(cut).toBeGreaterThan(0);
    const completion = await client.chat.completions.create({ messages: 'hi', stop });
    expect(completion.choices[0].message.content).toBe(acytooReplica.state.answer.slice(0, cut));
    expect(completion.choices[0].finish_reason).toBe('stop');
    const stream = await client.chat.completions.create({
      messages: 'hi',
      stop: ['zzz', stop],
      stream: true,
    });
    const chunks = await readAll(stream);
    expect(chunks.map((c) => c.choices[0].delta.content).join('')).toBe(
      acytooReplica.state.answer.slice(0, cut),
    );
    expect(chunks.at(-1)!.choices[0].finish_reason).toBe('stop');
  });

  it('ends after max_tokens with finish reason length', async () => {
    const client = new Client({ providers, provider: 'Aura' });
    const completion = await client.chat.completions.create({ messages: 'hi', max_tokens: 5 });
    const { content } = completion.choices[0].message;
    expect(completion.choices[0].finish_reason).toBe('length');
    expect(completion.usage.completion_tokens).toBe(5);
    expect(auraReplica.state.answer.startsWith(content)).toBe(true);
    expect(content.length).toBeLessThan(auraReplica.state.answer.length);
    expect(countTokens(content)).toBeLessThanOrEqual(5);
    const whole = await client.chat.completions.create({ messages: 'hi', max_tokens: 1000 });
    expect(whole.choices[0].finish_reason).toBe('stop');
    expect(whole.choices[0].message.content).toBe(auraReplica.state.answer);
  });

  it('refuses a bad max_tokens and bad messages before any request', async () => {
    const client = new Client({ providers, provider: 'Acytoo' });
    const before = acytooReplica.calls.length;
    for (const params of [
      { messages: 'hi', max_tokens: 0 },
      { messages: 'hi', max_tokens: 1.5 },
      { messages: [] },
      { messages: [{ role: 'robot', content: 'x' }] },
    ]) {
      const error = await failureOf(client.chat.completions.create(params as never));
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
    }
    expect(acytooReplica.calls.length).toBe(before);
  });

  it('raises for an empty answer instead of returning nothing', async () => {
    const client = new Client({ providers, provider: 'Acytoo' });
    acytooReplica.fail(ACYTOO_ROUTE, { kind: 'status', status: 200, body: '' }, { times: 1 });
    const error = await failureOf(client.chat.completions.create({ messages: 'hi' }));
    expect(EmptyAnswerError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/^Acytoo answered 200 with no text/);
    // A provider of the user's own that ends without content, and without saying so.
    const silent = new Client({ providers: [new Scripted('Silent', [])], provider: 'Silent' });
    const none = await failureOf(silent.chat.completions.create({ messages: 'hi' }));
    expect(RetryNoProviderError.isInstance(none)).toBe(true);
    expect((none as Error).message).toBe('No content response from Silent');
  });

  it('names an unknown provider', async () => {
    const client = new Client({ providers });
    const error = await failureOf(
      client.chat.completions.create({ provider: 'Nope', messages: 'hi' }),
    );
    expect(ProviderNotFoundError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('Acytoo, Aura, ChatgptFree, RobocodersAPI, Websim');
  });
});

describe('typed chunks', () => {
  it('turns an image as the first content into Markdown', async () => {
    const client = new Client({ providers });
    const completion = await client.chat.completions.create({
      model: 'flux',
      messages: 'A lighthouse',
      aspectRatio: '1:1',
    });
    expect(completion.provider).toBe('Websim');
    expect(completion.choices[0].message.content).toMatch(
      /^\[!\[A lighthouse\]\((http:\/\/127\.0\.0\.1:\d+\/images\/[^)]+\.png)\)\]\(\1\)$/,
    );
  });

  it("takes a provider's own finish reason, and drops chunks of a provider that sent no content", async () => {
    const truncating = new Scripted('Truncating', ['Hello', new FinishReason('length')]);
    const silent = new Scripted('Silent', [new FinishReason('stop')]);
    const client = new Client({ providers: [silent, truncating] });
    const completion = await client.chat.completions.create({ messages: 'hi' });
    expect(completion.provider).toBe('Truncating');
    expect(completion.choices[0].message.content).toBe('Hello');
    expect(completion.choices[0].finish_reason).toBe('length');
  });
});

describe('routing by model', () => {
  it('sends a model to the provider that lists it, aliases included', async () => {
    const client = new Client({ providers });
    const routed = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: 'hi' });
    expect(routed.provider).toBe('ChatgptFree');
    expect(routed.model).toBe('gpt-4o-mini-2024-07-18');
    const coder = await client.chat.completions.create({ model: 'RepoAgent', messages: 'hi' });
    expect(coder.provider).toBe('RobocodersAPI');
    expect(coder.model).toBe('RepoAgent');
  });

  it('does not send a listed-nowhere model to a provider that would pass any name through', async () => {
    const client = new Client({ providers });
    const error = await failureOf(
      client.chat.completions.create({ model: 'gpt-9', messages: 'hi' }),
    );
    expect(ModelNotSupportedError.isInstance(error)).toBe(true);
    expect((error as ModelNotSupportedError).knownModels).toContain('gemini-2.5-flash');
    expect((error as ModelNotSupportedError).knownModels).toContain('gpt-4o-mini');
  });

  it('without a model tries the providers in the order given, each with its default', async () => {
    const client = new Client({ providers: [providers[4]!, providers[0]!] });
    const completion = await client.chat.completions.create({ messages: 'hi' });
    expect(completion.provider).toBe('Websim');
    expect(completion.model).toBe('gemini-2.5-pro');
  });

  it('lists every model and alias with the providers that serve it', () => {
    const client = new Client({ providers });
    const list = client.models.list();
    expect(list.object).toBe('list');
    const byId = new Map(list.data.map((m) => [m.id, m]));
    expect(byId.get('gpt-4o-mini')).toMatchObject({
      object: 'model',
      owned_by: 'ChatgptFree',
      providers: ['ChatgptFree'],
    });
    expect(byId.get('gpt-3.5-turbo')?.providers).toEqual(['Acytoo']);
    expect(byId.get('flux')?.providers).toEqual(['Websim']);
    expect([...byId.keys()]).toEqual(
      expect.arrayContaining(['GeneralCodingAgent', 'RepoAgent', 'FrontEndAgent']),
    );
    expect(list.data.every((m) => typeof m.created === 'number')).toBe(true);
  });
});
