// Compile-time proof that our shapes fit the official SDK's types: `pnpm typecheck` fails
// if a field is missing or has the wrong type. The runtime test checks a real result too.
import { Aura } from '@g4f/aura';
import { type AuraReplica, createAuraReplica } from '@g4f/aura/replica';
import type OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { Client } from './client.js';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  CompletionUsage,
  ImagesResponse,
  Model,
  ModelList,
} from './types.js';

let replica: AuraReplica;
beforeAll(async () => {
  replica = await createAuraReplica({ chunkDelayMs: 0 });
});
afterAll(() => replica?.close());

describe('types assignable to the openai package', () => {
  it('holds at compile time', () => {
    expectTypeOf<ChatCompletion>().toExtend<OpenAI.ChatCompletion>();
    expectTypeOf<ChatCompletionChunk>().toExtend<OpenAI.ChatCompletionChunk>();
    expectTypeOf<CompletionUsage>().toExtend<OpenAI.CompletionUsage>();
    expectTypeOf<ImagesResponse>().toExtend<OpenAI.ImagesResponse>();
    expectTypeOf<Model>().toExtend<OpenAI.Model>();
    expectTypeOf<ModelList['data']>().toExtend<OpenAI.Model[]>();
  });

  it('holds for real results', async () => {
    const client = new Client({ providers: [new Aura({ baseUrl: replica.url })] });
    const completion: OpenAI.ChatCompletion = await client.chat.completions.create({
      messages: 'hi',
    });
    expect(completion.choices[0]?.message.content).toBe(replica.answer);
    const stream = await client.chat.completions.create({ messages: 'hi', stream: true });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.at(-1)?.usage?.total_tokens).toBeGreaterThan(0);
  });
});
