import { APICallError, UnsupportedFunctionalityError } from '@ai-sdk/provider';
import { Acytoo } from '@g4f/acytoo';
import { ACYTOO_ROUTE, type AcytooReplica, createAcytooReplica } from '@g4f/acytoo/replica';
import { Aura } from '@g4f/aura';
import { AURA_ROUTE, type AuraReplica, createAuraReplica } from '@g4f/aura/replica';
import { RetryProviderError } from '@g4f/client';
import { MissingAuthError, RateLimitError, ResponseStatusError } from '@g4f/core';
import { failureOf } from '@g4f/testing';
import { Websim } from '@g4f/websim';
import { createWebsimReplica, WEBSIM_CHAT_ROUTE, type WebsimReplica } from '@g4f/websim/replica';
import { generateText, type ModelMessage, streamText, type TextStreamPart, type ToolSet } from 'ai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createG4F } from './g4f-provider.js';

// The AI SDK prints warnings to the console by default; the tests read them from the results.
(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

let acytooReplica: AcytooReplica;
let auraReplica: AuraReplica;
let websimReplica: WebsimReplica;
let acytoo: Acytoo;
let aura: Aura;
let websim: Websim;

const LONG_ANSWER = `Intro. ${'word '.repeat(300)}`;

beforeAll(async () => {
  [acytooReplica, auraReplica, websimReplica] = await Promise.all([
    // A long answer in slow pieces, so a caller can leave while the replica is still writing.
    createAcytooReplica({ answer: LONG_ANSWER, chunkBytes: 10, chunkDelayMs: 5 }),
    createAuraReplica(),
    createWebsimReplica(),
  ]);
  acytoo = new Acytoo({ baseUrl: acytooReplica.url });
  aura = new Aura({ baseUrl: auraReplica.url });
  websim = new Websim({ baseUrl: websimReplica.url });
});
afterEach(() => {
  acytooReplica.clearFaults();
  auraReplica.clearFaults();
  websimReplica.clearFaults();
});
afterAll(async () => {
  await Promise.all([acytooReplica?.close(), auraReplica?.close(), websimReplica?.close()]);
});

const lastBody = (replica: { calls: readonly { text: string }[] }) =>
  JSON.parse(replica.calls.at(-1)!.text) as Record<string, unknown>;

describe('generateText', () => {
  it('returns the whole answer, finish reason, estimated usage and who answered', async () => {
    const g4f = createG4F({ provider: aura });
    const result = await generateText({
      model: g4f(),
      system: 'Be brief.',
      prompt: 'Say hello.',
    });
    expect(result.text).toBe(auraReplica.state.answer);
    expect(result.finishReason).toBe('stop');
    expect(result.usage.inputTokens).toBeGreaterThan(3);
    expect(result.usage.outputTokens).toBeGreaterThan(3);
    expect(result.usage.totalTokens).toBe(
      (result.usage.inputTokens ?? 0) + (result.usage.outputTokens ?? 0),
    );
    expect(result.providerMetadata?.g4f?.provider).toBe('Aura');
    expect(result.response.id).toMatch(/^chatcmpl-[A-Za-z0-9]{28}$/);
    expect(result.warnings).toEqual([]);
  });

  it('sends system, user and assistant text as g4f messages', async () => {
    const g4f = createG4F({ provider: acytoo });
    const messages: ModelMessage[] = [
      { role: 'system', content: 'You are terse.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Hi, ' },
          { type: 'text', text: 'there' },
        ],
      },
      { role: 'assistant', content: [{ type: 'text', text: 'Hello.' }] },
      { role: 'user', content: 'Again?' },
    ];
    // A system message inside `messages` is what this test is about; the AI SDK would warn.
    await generateText({ model: g4f(), messages, allowSystemInMessages: true });
    expect(lastBody(acytooReplica).messages).toEqual([
      { role: 'system', content: 'You are terse.' },
      { role: 'user', content: 'Hi, there' },
      { role: 'assistant', content: 'Hello.' },
      { role: 'user', content: 'Again?' },
    ]);
  });

  it('falls back to the next provider when the first fails before answering', async () => {
    acytooReplica.fail(ACYTOO_ROUTE, { kind: 'status', status: 500 }, { times: 1 });
    const g4f = createG4F({ providers: [acytoo, aura] });
    const result = await generateText({ model: g4f(), prompt: 'Hi' });
    expect(result.text).toBe(auraReplica.state.answer);
    expect(result.providerMetadata?.g4f?.provider).toBe('Aura');
  });

  it('throws an APICallError keeping the g4f error as cause', async () => {
    auraReplica.fail(AURA_ROUTE, { kind: 'status', status: 403, body: 'no' }, { times: 1 });
    const g4f = createG4F({ provider: aura });
    const error = await failureOf(generateText({ model: g4f(), prompt: 'Hi', maxRetries: 0 }));
    expect(APICallError.isInstance(error)).toBe(true);
    const apiError = error as APICallError;
    expect(MissingAuthError.isInstance(apiError.cause)).toBe(true);
    expect(apiError.statusCode).toBe(403);
    expect(apiError.isRetryable).toBe(false);
    // The URL of the request that failed, from the g4f error.
    expect(apiError.url).toBe(`${auraReplica.url}/api/chat`);
  });

  it('applies maxOutputTokens and stopSequences through the client', async () => {
    const g4f = createG4F({ provider: acytoo });
    const limited = await generateText({ model: g4f(), prompt: 'Hi', maxOutputTokens: 5 });
    expect(limited.finishReason).toBe('length');
    expect(limited.usage.outputTokens).toBe(5);
    expect(LONG_ANSWER.startsWith(limited.text)).toBe(true);
    expect(limited.text.length).toBeLessThan(LONG_ANSWER.length);

    const stopped = await generateText({ model: g4f(), prompt: 'Hi', stopSequences: ['word'] });
    expect(stopped.text).toBe('Intro. ');
    expect(stopped.finishReason).toBe('stop');
  });
});

describe('streamText', () => {
  it('streams text-start, several deltas, text-end and finish with usage', async () => {
    const g4f = createG4F({ provider: aura });
    const result = streamText({ model: g4f(), prompt: 'Say hello.' });
    const parts: TextStreamPart<ToolSet>[] = [];
    for await (const part of result.fullStream) parts.push(part);
    const types = parts.map((p) => p.type);
    expect(types.slice(0, 3)).toEqual(['start', 'start-step', 'text-start']);
    expect(types.slice(-3)).toEqual(['text-end', 'finish-step', 'finish']);
    const deltas = parts.filter((p) => p.type === 'text-delta');
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.map((p) => p.text).join('')).toBe(auraReplica.state.answer);
    expect(await result.finishReason).toBe('stop');
    const usage = await result.usage;
    expect(usage.inputTokens).toBeGreaterThan(0);
    expect(usage.outputTokens).toBeGreaterThan(0);
    expect((await result.providerMetadata)?.g4f?.provider).toBe('Aura');
  });

  it('works through a Proxy, as ai 7 wraps models', async () => {
    const result = streamText({
      model: new Proxy(createG4F({ provider: aura })(), {}),
      prompt: 'Hi',
    });
    expect(await result.text).toBe(auraReplica.state.answer);
  });

  it('streams the text of the provider that answers in a fallback', async () => {
    acytooReplica.fail(ACYTOO_ROUTE, { kind: 'status', status: 502 }, { times: 1 });
    const g4f = createG4F({ providers: [acytoo, aura] });
    const result = streamText({ model: g4f(), prompt: 'Hi' });
    expect(await result.text).toBe(auraReplica.state.answer);
    expect((await result.providerMetadata)?.g4f?.provider).toBe('Aura');
  });

  it('hands an upstream error to onError as an APICallError with the g4f error as cause', async () => {
    acytooReplica.fail(ACYTOO_ROUTE, { kind: 'status', status: 500 }, { times: 1 });
    auraReplica.fail(AURA_ROUTE, { kind: 'status', status: 503 }, { times: 1 });
    const g4f = createG4F({ providers: [acytoo, aura] });
    const errors: unknown[] = [];
    const result = streamText({
      model: g4f(),
      prompt: 'Hi',
      onError: ({ error }) => {
        errors.push(error);
      },
    });
    const types: string[] = [];
    for await (const part of result.fullStream) types.push(part.type);
    expect(types).toContain('error');
    expect(errors).toHaveLength(1);
    const error = errors[0] as APICallError;
    expect(APICallError.isInstance(error)).toBe(true);
    expect(RetryProviderError.isInstance(error.cause)).toBe(true);
    expect((error.cause as RetryProviderError).errors.map((e) => e.provider)).toEqual([
      'Acytoo',
      'Aura',
    ]);
    expect(await result.finishReason).toBe('error');
  });

  it('gives the text so far, then the error, when the stream is cut mid-answer', async () => {
    auraReplica.fail(AURA_ROUTE, { kind: 'cut', afterBytes: 12 }, { times: 1 });
    const g4f = createG4F({ provider: aura });
    const errors: unknown[] = [];
    const result = streamText({
      model: g4f(),
      prompt: 'Hi',
      onError: ({ error }) => {
        errors.push(error);
      },
    });
    let text = '';
    for await (const part of result.fullStream) if (part.type === 'text-delta') text += part.text;
    expect(text.length).toBeGreaterThan(0);
    expect(auraReplica.state.answer.startsWith(text)).toBe(true);
    expect(text).not.toBe(auraReplica.state.answer);
    expect(APICallError.isInstance(errors[0])).toBe(true);
    expect((errors[0] as APICallError).cause).toBeInstanceOf(Error);
  });

  it('closes the upstream socket when abortSignal aborts mid-answer', async () => {
    const g4f = createG4F({ provider: acytoo });
    const controller = new AbortController();
    const aborted: string[] = [];
    const result = streamText({
      model: g4f(),
      prompt: 'Hi',
      abortSignal: controller.signal,
      onAbort: () => {
        aborted.push('onAbort');
      },
    });
    let deltas = 0;
    for await (const part of result.fullStream) {
      if (part.type === 'text-delta' && ++deltas === 2) controller.abort();
    }
    const call = acytooReplica.callsTo(ACYTOO_ROUTE).at(-1)!;
    await acytooReplica.waitFor(() => call.closedEarly);
    expect(call.finished).toBe(false);
    expect(aborted).toEqual(['onAbort']);
  });

  it('closes the upstream socket when the model stream is cancelled', async () => {
    const model = createG4F({ provider: acytoo })();
    const { stream } = await model.doStream({
      prompt: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
    });
    const reader = stream.getReader();
    const seen: string[] = [];
    while (!seen.includes('text-delta')) seen.push((await reader.read()).value!.type);
    expect(seen.slice(0, 3)).toEqual(['stream-start', 'response-metadata', 'text-start']);
    await reader.cancel();
    const call = acytooReplica.callsTo(ACYTOO_ROUTE).at(-1)!;
    await acytooReplica.waitFor(() => call.closedEarly);
    expect(call.finished).toBe(false);
  });
});

describe('cancelling the model stream', () => {
  it('closes the upstream socket while the answer has not started yet', async () => {
    auraReplica.fail(AURA_ROUTE, { kind: 'hang' }, { times: 1 });
    const before = auraReplica.callsTo(AURA_ROUTE).length;
    const model = createG4F({ provider: aura })();
    const { stream } = await model.doStream({
      prompt: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
    });
    const reader = stream.getReader();
    expect((await reader.read()).value?.type).toBe('stream-start');
    // This read waits for the first text, which the hung upstream never sends.
    const pending = reader.read();
    await auraReplica.waitFor(() => auraReplica.callsTo(AURA_ROUTE).length > before);
    await reader.cancel();
    expect(await pending).toEqual({ done: true, value: undefined });
    const call = auraReplica.callsTo(AURA_ROUTE).at(-1)!;
    await auraReplica.waitFor(() => call.closedEarly);
  });
});

describe('prompt parts a g4f provider cannot take', () => {
  const toolResult: ModelMessage = {
    role: 'tool',
    content: [
      {
        type: 'tool-result',
        toolCallId: 't1',
        toolName: 'weather',
        output: { type: 'text', value: 'sunny' },
      },
    ],
  };
  const cases: [string, ModelMessage[], string][] = [
    [
      'an image',
      [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image', image: new Uint8Array([137, 80, 78, 71]), mediaType: 'image/png' },
          ],
        },
      ],
      'image part (image/png) in a user message',
    ],
    [
      'a file',
      [
        {
          role: 'user',
          content: [{ type: 'file', data: new Uint8Array([37, 80]), mediaType: 'application/pdf' }],
        },
      ],
      'file part (application/pdf) in a user message',
    ],
    [
      'a tool call',
      [
        { role: 'user', content: 'Weather?' },
        {
          role: 'assistant',
          content: [{ type: 'tool-call', toolCallId: 't1', toolName: 'weather', input: {} }],
        },
        toolResult,
      ],
      'tool-call part (weather) in an assistant message',
    ],
    [
      'a tool result',
      [{ role: 'user', content: 'Weather?' }, toolResult],
      'tool-result part (weather) in a tool message',
    ],
  ];

  it.each(cases)(
    'refuses %s with UnsupportedFunctionalityError naming it, sending nothing',
    async (_, messages, functionality) => {
      const g4f = createG4F({ provider: aura });
      const before = auraReplica.calls.length;
      const error = await failureOf(generateText({ model: g4f(), messages, maxRetries: 0 }));
      expect(UnsupportedFunctionalityError.isInstance(error)).toBe(true);
      expect((error as UnsupportedFunctionalityError).functionality).toBe(functionality);
      expect(auraReplica.calls.length).toBe(before);
    },
  );
});

describe('warnings', () => {
  it('warns for temperature on a provider that sends none, and for settings no provider takes', async () => {
    const g4f = createG4F({ provider: websim });
    const result = await generateText({
      model: g4f(),
      prompt: 'Hi',
      temperature: 0.3,
      topP: 0.9,
      seed: 7,
    });
    expect(result.text).toBe(websimReplica.state.answer);
    expect(result.warnings).toEqual([
      {
        type: 'unsupported',
        feature: 'temperature',
        details: 'Websim sends no temperature; it is ignored',
      },
      { type: 'unsupported', feature: 'seed', details: 'Websim sends no seed; it is ignored' },
      { type: 'unsupported', feature: 'topP' },
    ]);
    expect(lastBody(websimReplica)).not.toHaveProperty('temperature');
    expect(websimReplica.callsTo(WEBSIM_CHAT_ROUTE).length).toBeGreaterThan(0);
  });

  it('sends temperature to a provider that takes it, without a warning', async () => {
    const g4f = createG4F({ provider: aura });
    const result = await generateText({ model: g4f(), prompt: 'Hi', temperature: 0.3 });
    expect(result.warnings).toEqual([]);
    expect(lastBody(auraReplica).temperature).toBe(0.3);
  });

  it('names the providers of a fallback that would ignore a setting', async () => {
    const g4f = createG4F({ providers: [aura, websim] });
    const result = streamText({ model: g4f(), prompt: 'Hi', temperature: 0.2 });
    await result.consumeStream();
    expect(await result.warnings).toEqual([
      { type: 'unsupported', feature: 'temperature', details: 'ignored if Websim answers' },
    ]);
  });
});

describe('errors that stay g4f errors', () => {
  it("turns a RateLimitError's wait into retry-after-ms, which the AI SDK's retry reads", async () => {
    auraReplica.fail(AURA_ROUTE, { kind: 'status', status: 429, headers: { 'retry-after': '7' } });
    const g4f = createG4F({ provider: aura });
    const error = (await failureOf(
      generateText({ model: g4f(), prompt: 'Hi', maxRetries: 0 }),
    )) as APICallError;
    expect(RateLimitError.isInstance(error.cause)).toBe(true);
    expect(error.statusCode).toBe(429);
    expect(error.isRetryable).toBe(true);
    expect(error.responseHeaders?.['retry-after-ms']).toBe('7000');
  });

  it('keeps a ResponseStatusError with its status on the APICallError', async () => {
    websimReplica.fail(WEBSIM_CHAT_ROUTE, { kind: 'status', status: 400, body: '{}' });
    const g4f = createG4F({ provider: websim });
    const error = (await failureOf(
      generateText({ model: g4f(), prompt: 'Hi', maxRetries: 0 }),
    )) as APICallError;
    expect(ResponseStatusError.isInstance(error.cause)).toBe(true);
    expect(error.statusCode).toBe(400);
    expect(error.message).toMatch(/^ResponseStatusError: /);
  });
});
