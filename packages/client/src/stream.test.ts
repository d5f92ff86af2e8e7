import { Acytoo } from '@g4f/acytoo';
import { ACYTOO_ROUTE, type AcytooReplica, createAcytooReplica } from '@g4f/acytoo/replica';
import { Aura } from '@g4f/aura';
import { AURA_ROUTE, type AuraReplica, createAuraReplica } from '@g4f/aura/replica';
import { NetworkError } from '@g4f/core';
import { failureOf } from '@g4f/core/conformance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './client.js';
import type { ChatCompletionChunk } from './types.js';

let acytooReplica: AcytooReplica;
let auraReplica: AuraReplica;
let client: Client;

beforeAll(async () => {
  // A long answer in slow pieces, so the client can leave while the replica is still writing.
  [acytooReplica, auraReplica] = await Promise.all([
    createAcytooReplica({
      answer: `Intro. ${'word '.repeat(200)}`,
      chunkBytes: 10,
      chunkDelayMs: 5,
    }),
    createAuraReplica({ chunkDelayMs: 0 }),
  ]);
  client = new Client({
    providers: [new Acytoo({ baseUrl: acytooReplica.url }), new Aura({ baseUrl: auraReplica.url })],
  });
});
afterAll(async () => {
  await Promise.all([acytooReplica?.close(), auraReplica?.close()]);
});

const lastCall = () => acytooReplica.callsTo(ACYTOO_ROUTE).at(-1)!;

describe('the stream result', () => {
  it('closes the upstream socket when the loop is left early', async () => {
    const stream = await client.chat.completions.create({ messages: 'hi', stream: true });
    let seen = 0;
    for await (const _ of stream) if (++seen === 2) break;
    await acytooReplica.waitFor(() => lastCall().closedEarly);
    expect(lastCall().finished).toBe(false);
  });

  it('closes the upstream socket and fails with the reason when the signal aborts', async () => {
    const controller = new AbortController();
    const stream = await client.chat.completions.create({
      messages: 'hi',
      stream: true,
      signal: controller.signal,
    });
    const reason = new Error('caller went away');
    const chunks: ChatCompletionChunk[] = [];
    const error = await failureOf(
      (async () => {
        for await (const chunk of stream) {
          chunks.push(chunk);
          if (chunks.length === 2) controller.abort(reason);
        }
      })(),
    );
    expect(error).toBe(reason);
    await acytooReplica.waitFor(() => lastCall().closedEarly);
  });

  it('closes the upstream when close() is called without reading', async () => {
    const stream = await client.chat.completions.create({ messages: 'hi', stream: true });
    await stream.close();
    await acytooReplica.waitFor(() => lastCall().closedEarly);
    expect(() => stream[Symbol.asyncIterator]()).toThrow(/read once/);
  });

  it('closes the upstream socket when a stop string ends the answer', async () => {
    const done = await client.chat.completions.create({ messages: 'hi', stop: 'word' });
    expect(done.choices[0].message.content).toBe('Intro. ');
    expect(done.choices[0].finish_reason).toBe('stop');
    await acytooReplica.waitFor(() => lastCall().closedEarly);
  });

  it('closes the upstream socket when max_tokens ends the answer', async () => {
    const done = await client.chat.completions.create({ messages: 'hi', max_tokens: 4 });
    expect(done.choices[0].finish_reason).toBe('length');
    expect(done.usage.completion_tokens).toBe(4);
    await acytooReplica.waitFor(() => lastCall().closedEarly);
  });

  it('rejects create() itself when the provider fails before any content', async () => {
    auraReplica.fail(AURA_ROUTE, { kind: 'status', status: 500, body: 'x' }, { times: 1 });
    const error = await failureOf(
      client.chat.completions.create({ provider: 'Aura', messages: 'hi', stream: true }),
    );
    expect((error as { status?: number }).status).toBe(500);
  });

  it('raises a cut stream as an error after the text already given', async () => {
    auraReplica.fail(AURA_ROUTE, { kind: 'cut', afterBytes: 12 }, { times: 1 });
    const stream = await client.chat.completions.create({
      provider: 'Aura',
      messages: 'hi',
      stream: true,
    });
    const text: string[] = [];
    const error = await failureOf(
      (async () => {
        for await (const chunk of stream) text.push(chunk.choices[0].delta.content);
      })(),
    );
    expect(NetworkError.isInstance(error)).toBe(true);
    expect(text.join('').length).toBeGreaterThan(0);
    expect(auraReplica.answer.startsWith(text.join(''))).toBe(true);
  });

  it('converts to a ReadableStream of JSON lines, as the openai SDK does', async () => {
    const stream = await client.chat.completions.create({
      provider: 'Aura',
      messages: 'hi',
      stream: true,
    });
    const text = await new Response(stream.toReadableStream()).text();
    const lines = text.trimEnd().split('\n');
    const chunks = lines.map((line) => JSON.parse(line) as ChatCompletionChunk);
    expect(
      chunks
        .slice(0, -1)
        .map((c) => c.choices[0].delta.content)
        .join(''),
    ).toBe(auraReplica.answer);
    expect(chunks.at(-1)!.choices[0].finish_reason).toBe('stop');
    expect(chunks.every((c) => c.id === stream.id)).toBe(true);
  });

  it('closes the upstream when the ReadableStream is cancelled', async () => {
    const stream = await client.chat.completions.create({ messages: 'hi', stream: true });
    const reader = stream.toReadableStream().getReader();
    await reader.read();
    await reader.cancel();
    await acytooReplica.waitFor(() => lastCall().closedEarly);
  });
});
