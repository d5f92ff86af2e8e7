import { Acytoo } from '@g4f/acytoo';
import { ACYTOO_ROUTE, type AcytooReplica, createAcytooReplica } from '@g4f/acytoo/replica';
import { Aura } from '@g4f/aura';
import { AURA_ROUTE, type AuraReplica, createAuraReplica } from '@g4f/aura/replica';
import {
  collectChunks,
  EmptyAnswerError,
  MissingAuthError,
  NetworkError,
  RateLimitError,
  ResponseStatusError,
} from '@g4f/core';
import { chunksBeforeFailure, failureOf } from '@g4f/testing';
import { Websim } from '@g4f/websim';
import { createWebsimReplica, WEBSIM_CHAT_ROUTE, type WebsimReplica } from '@g4f/websim/replica';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './client.js';
import { ProvidersCoolingDownError, RetryNoProviderError, RetryProviderError } from './errors.js';
import { allFailedError, IterListProvider, RetryProvider, RotatedProvider } from './fallback.js';
import { ProviderHealth } from './health.js';
import type { ProviderInfo } from './types.js';

let acytooReplica: AcytooReplica;
let auraReplica: AuraReplica;
let websimReplica: WebsimReplica;
let acytoo: Acytoo;
let aura: Aura;
let websim: Websim;
const messages = [{ role: 'user' as const, content: 'Hello' }];
const serverError = { kind: 'status', status: 500, body: 'boom' } as const;
const empty = { kind: 'status', status: 200, body: '' } as const;

beforeAll(async () => {
  [acytooReplica, auraReplica, websimReplica] = await Promise.all([
    createAcytooReplica({ chunkDelayMs: 0 }),
    createAuraReplica({ chunkDelayMs: 0 }),
    createWebsimReplica(),
  ]);
  acytoo = new Acytoo({ baseUrl: acytooReplica.url });
  aura = new Aura({ baseUrl: auraReplica.url });
  websim = new Websim({ baseUrl: websimReplica.url, maxAttempts: 1 });
});
afterEach(() => {
  for (const replica of [acytooReplica, auraReplica, websimReplica]) replica.clearFaults();
});
afterAll(async () => {
  await Promise.all([acytooReplica, auraReplica, websimReplica].map((r) => r?.close()));
});

const answerOf = async (provider: {
  createAsyncGenerator: IterListProvider['createAsyncGenerator'];
}) => (await collectChunks(provider.createAsyncGenerator({ messages }))).join('');

describe('IterListProvider', () => {
  it('moves on when the first provider fails, and says who answered', async () => {
    acytooReplica.fail(ACYTOO_ROUTE, serverError, { times: 1 });
    const tried: ProviderInfo[] = [];
    const list = new IterListProvider([acytoo, aura], { shuffle: false });
    const chunks = await collectChunks(
      list.createAsyncGenerator({ messages, onProvider: (info) => tried.push(info) }),
    );
    expect(chunks.join('')).toBe(auraReplica.state.answer);
    expect(tried.map((t) => t.name)).toEqual(['Acytoo', 'Aura']);
    expect(tried[1]!.model).toBe(aura.defaultModel);
  });

  it('moves on when the first provider finishes without content', async () => {
    acytooReplica.fail(ACYTOO_ROUTE, empty, { times: 1 });
    const list = new IterListProvider([acytoo, aura], { shuffle: false });
    expect(await answerOf(list)).toBe(auraReplica.state.answer);
  });

  it('treats an empty answer (EmptyAnswerError) as a provider failure and moves on', async () => {
    websimReplica.fail(
      WEBSIM_CHAT_ROUTE,
      { kind: 'status', status: 200, body: '{}', contentType: 'application/json' },
      { times: 2 },
    );
    const health = new ProviderHealth();
    const list = new IterListProvider([websim, aura], { shuffle: false, health });
    expect(await answerOf(list)).toBe(auraReplica.state.answer);
    const [websimHealth] = health.report(['Websim']).providers;
    expect(websimHealth?.recentFailures).toEqual([
      { at: expect.any(Number), error: expect.stringContaining('EmptyAnswerError') },
    ]);
    const alone = await failureOf(answerOf(new IterListProvider([websim], { shuffle: false })));
    expect(EmptyAnswerError.isInstance(alone)).toBe(true);
  });

  it('raises an error after content at once, without trying the next provider', async () => {
    acytooReplica.fail(ACYTOO_ROUTE, { kind: 'cut', afterBytes: 10 }, { times: 1 });
    const before = auraReplica.callsTo(AURA_ROUTE).length;
    const health = new ProviderHealth();
    const list = new IterListProvider([acytoo, aura], { shuffle: false, health });
    const { chunks, error } = await chunksBeforeFailure(list.createAsyncGenerator({ messages }));
    expect(NetworkError.isInstance(error)).toBe(true);
    expect(health.report(['Acytoo']).providers[0]!.recentFailures[0]!.error).toMatch(
      /^NetworkError: /,
    );
    expect(acytooReplica.state.answer.startsWith(chunks.join(''))).toBe(true);
    expect(chunks.join('').length).toBeGreaterThan(0);
    expect(auraReplica.callsTo(AURA_ROUTE).length).toBe(before);
  });

  it('raises a single failure unchanged', async () => {
    acytooReplica.fail(ACYTOO_ROUTE, serverError, { times: 1 });
    const list = new IterListProvider([acytoo], { shuffle: false });
    const error = await failureOf(answerOf(list));
    expect(ResponseStatusError.isInstance(error)).toBe(true);
    expect((error as ResponseStatusError).status).toBe(500);
    // One provider that failed twice is still one failure: its last error, unchanged.
    const first = new ResponseStatusError('first', { status: 500, url: 'u' });
    const last = new ResponseStatusError('last', { status: 502, url: 'u' });
    expect(
      allFailedError([
        { provider: 'Acytoo', error: first },
        { provider: 'Acytoo', error: last },
      ]),
    ).toBe(last);
  });

  it('lists every failure in a RetryProviderError', async () => {
    acytooReplica.fail(ACYTOO_ROUTE, serverError, { times: 1 });
    auraReplica.fail(AURA_ROUTE, { kind: 'status', status: 503, body: 'down' }, { times: 1 });
    const list = new IterListProvider([acytoo, aura], { shuffle: false });
    const error = (await failureOf(answerOf(list))) as RetryProviderError;
    expect(RetryProviderError.isInstance(error)).toBe(true);
    const lines = error.message.split('\n');
    expect(lines[0]).toBe('RetryProvider failed:');
    expect(lines[1]).toMatch(/^Acytoo: ResponseStatusError: .*500/);
    expect(lines[2]).toMatch(/^Aura: ResponseStatusError: .*503/);
    expect(error.errors.map((e) => e.provider)).toEqual(['Acytoo', 'Aura']);
    expect((error.errors[1]!.error as ResponseStatusError).status).toBe(503);
    expect(error.cause).toBe(error.errors[0]!.error);
  });

  it('raises a MissingAuthError over the other failures', async () => {
    acytooReplica.fail(ACYTOO_ROUTE, serverError, { times: 1 });
    auraReplica.fail(AURA_ROUTE, { kind: 'status', status: 401, body: 'no' }, { times: 1 });
    const list = new IterListProvider([acytoo, aura], { shuffle: false });
    const error = await failureOf(answerOf(list));
    expect(MissingAuthError.isInstance(error)).toBe(true);
  });

  it('lists empty answers as failures when nobody sent content', async () => {
    acytooReplica.fail(ACYTOO_ROUTE, empty, { times: 1 });
    auraReplica.fail(AURA_ROUTE, empty, { times: 1 });
    const list = new IterListProvider([acytoo, aura], { shuffle: false });
    const error = await failureOf(answerOf(list));
    expect(RetryProviderError.isInstance(error)).toBe(true);
    const errors = (error as RetryProviderError).errors;
    expect(errors.map((e) => e.provider)).toEqual(['Acytoo', 'Aura']);
    expect(errors.every((e) => EmptyAnswerError.isInstance(e.error))).toBe(true);
  });

  it('raises RetryNoProviderError when nobody sent content or an error', () => {
    const error = allFailedError([]);
    expect(RetryNoProviderError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe('No content response from any provider. ');
  });

  it('lets the caller abort win over falling back', async () => {
    acytooReplica.fail(ACYTOO_ROUTE, { kind: 'hang' }, { times: 1 });
    const before = auraReplica.callsTo(AURA_ROUTE).length;
    const controller = new AbortController();
    const list = new IterListProvider([acytoo, aura], { shuffle: false });
    const pending = failureOf(
      collectChunks(list.createAsyncGenerator({ messages, signal: controller.signal })),
    );
    await acytooReplica.waitFor(() =>
      acytooReplica.callsTo(ACYTOO_ROUTE).some((c) => !c.finished && !c.closedEarly),
    );
    const reason = new Error('user left');
    controller.abort(reason);
    expect(await pending).toBe(reason);
    expect(auraReplica.callsTo(AURA_ROUTE).length).toBe(before);
  });

  it('shuffles when asked, and tries each provider once per call', async () => {
    const seen = new Set<string>();
    const list = new IterListProvider([acytoo, aura]);
    for (let i = 0; i < 40 && seen.size < 2; i++) {
      const tried: string[] = [];
      await collectChunks(
        list.createAsyncGenerator({ messages, onProvider: (p) => tried.push(p.name) }),
      );
      seen.add(tried[0]!);
    }
    expect(seen).toEqual(new Set(['Acytoo', 'Aura']));
  });
});

describe('RetryProvider', () => {
  it('retries a single provider up to maxRetries times', async () => {
    acytooReplica.fail(ACYTOO_ROUTE, serverError, { times: 2 });
    const before = acytooReplica.callsTo(ACYTOO_ROUTE).length;
    const retry = new RetryProvider([acytoo, aura], {
      shuffle: false,
      singleProviderRetry: true,
      maxRetries: 3,
    });
    expect(await answerOf(retry)).toBe(acytooReplica.state.answer);
    expect(acytooReplica.callsTo(ACYTOO_ROUTE).length - before).toBe(3);
  });

  it('gives up after maxRetries with the provider error unchanged', async () => {
    acytooReplica.fail(ACYTOO_ROUTE, serverError, { times: 2 });
    const retry = new RetryProvider([acytoo], { singleProviderRetry: true, maxRetries: 2 });
    const error = await failureOf(answerOf(retry));
    expect((error as ResponseStatusError).status).toBe(500);
  });
});

describe('RotatedProvider', () => {
  it('starts each call with the next provider', async () => {
    const rotated = new RotatedProvider([acytoo, aura], { shuffle: false });
    const first: string[] = [];
    for (let i = 0; i < 3; i++) {
      const tried: string[] = [];
      await collectChunks(
        rotated.createAsyncGenerator({ messages, onProvider: (p) => tried.push(p.name) }),
      );
      first.push(tried[0]!);
    }
    expect(first).toEqual(['Acytoo', 'Aura', 'Acytoo']);
  });

  it('falls through to the next in the ring and keeps rotating from there', async () => {
    const rotated = new RotatedProvider([acytoo, aura], { shuffle: false });
    acytooReplica.fail(ACYTOO_ROUTE, serverError, { times: 1 });
    expect(await answerOf(rotated)).toBe(auraReplica.state.answer);
    const tried: string[] = [];
    await collectChunks(
      rotated.createAsyncGenerator({ messages, onProvider: (p) => tried.push(p.name) }),
    );
    expect(tried).toEqual(['Acytoo']);
  });
});

describe('cooldowns', () => {
  it('skips a provider that failed N times within the window, until the window passes', async () => {
    let now = 1_000_000;
    const client = new Client({
      providers: [acytoo, aura],
      cooldown: { failures: 2, windowMs: 10_000, now: () => now },
    });
    acytooReplica.fail(ACYTOO_ROUTE, serverError, { times: 2 });
    for (let i = 0; i < 2; i++) {
      const done = await client.chat.completions.create({ messages: 'hi' });
      expect(done.provider).toBe('Aura');
      now += 1000;
    }
    const health = client.health();
    expect(health.cooldownEnabled).toBe(true);
    expect(health.providers[0]).toMatchObject({
      name: 'Acytoo',
      coolingDownUntil: 1_000_000 + 10_000,
      available: false,
    });
    expect(health.providers[0]!.recentFailures.map((f) => f.at)).toEqual([1_000_000, 1_001_000]);
    expect(health.providers[0]!.recentFailures[0]!.error).toMatch(/^ResponseStatusError: /);
    expect(health.providers[1]).toMatchObject({
      name: 'Aura',
      available: true,
      recentFailures: [],
    });

    const before = acytooReplica.callsTo(ACYTOO_ROUTE).length;
    expect((await client.chat.completions.create({ messages: 'hi' })).provider).toBe('Aura');
    expect(acytooReplica.callsTo(ACYTOO_ROUTE).length).toBe(before);

    now = 1_000_000 + 10_000;
    expect((await client.chat.completions.create({ messages: 'hi' })).provider).toBe('Acytoo');
    expect(client.health().providers[0]!.available).toBe(true);
  });

  it('skips a rate-limited provider for its Retry-After, and reports when all are cooling', async () => {
    let now = 5_000;
    const client = new Client({ providers: [websim], cooldown: { now: () => now } });
    websimReplica.fail(
      WEBSIM_CHAT_ROUTE,
      { kind: 'status', status: 429, body: '{}', headers: { 'retry-after': '30' } },
      { times: 1 },
    );
    const first = await failureOf(client.chat.completions.create({ messages: 'hi' }));
    expect(RateLimitError.isInstance(first)).toBe(true);
    expect(client.health().providers[0]!.coolingDownUntil).toBe(35_000);

    now = 20_000;
    const before = websimReplica.callsTo(WEBSIM_CHAT_ROUTE).length;
    const cooling = (await failureOf(
      client.chat.completions.create({ messages: 'hi' }),
    )) as ProvidersCoolingDownError;
    expect(ProvidersCoolingDownError.isInstance(cooling)).toBe(true);
    expect(RetryNoProviderError.isInstance(cooling)).toBe(true);
    expect(cooling.retryAfterMs).toBe(15_000);
    expect(websimReplica.callsTo(WEBSIM_CHAT_ROUTE).length).toBe(before);

    now = 35_000;
    const done = await client.chat.completions.create({ messages: 'hi' });
    expect(done.choices[0].message.content).toBe(websimReplica.state.answer);
  });

  it('records and reports the providers inside a fallback handed to the client', async () => {
    const client = new Client({
      providers: [new IterListProvider([acytoo, aura], { shuffle: false })],
    });
    acytooReplica.fail(ACYTOO_ROUTE, serverError, { times: 1 });
    expect((await client.chat.completions.create({ messages: 'hi' })).provider).toBe('Aura');
    const report = client.health().providers;
    expect(report.map((p) => p.name)).toEqual(['IterListProvider', 'Acytoo', 'Aura']);
    expect(report[1]!.recentFailures).toHaveLength(1);
    expect(report[2]!.recentFailures).toHaveLength(0);
  });

  it('reports failures without skipping when cooldowns are off', async () => {
    const client = new Client({ providers: [acytoo, aura] });
    acytooReplica.fail(ACYTOO_ROUTE, serverError, { times: 3 });
    for (let i = 0; i < 3; i++) await client.chat.completions.create({ messages: 'hi' });
    const before = acytooReplica.callsTo(ACYTOO_ROUTE).length;
    expect((await client.chat.completions.create({ messages: 'hi' })).provider).toBe('Acytoo');
    expect(acytooReplica.callsTo(ACYTOO_ROUTE).length).toBe(before + 1);
    const [entry] = client.health().providers;
    expect(entry!.recentFailures).toHaveLength(3);
    expect(entry!.available).toBe(true);
    expect(client.health().cooldownEnabled).toBe(false);
  });
});
