// OpenaiCompatible against a real peer: `@g4f/server` (port 0) over a client whose providers
// are the Acytoo replica and another OpenaiCompatible in front of this package's replica.
import { Acytoo } from '@g4f/acytoo';
import { ACYTOO_ROUTE, type AcytooReplica, createAcytooReplica } from '@g4f/acytoo/replica';
import { Client } from '@g4f/client';
import {
  collectChunks,
  FinishReason,
  joinText,
  joinToolCalls,
  RateLimitError,
  ToolCalls,
  Usage,
} from '@g4f/core';
import { type RunningServer, startServer } from '@g4f/server';
import { failureOf } from '@g4f/testing';
import { afterAll, assert, beforeAll, describe, expect, it } from 'vitest';
import { OpenaiCompatible } from './openai-compatible.js';
import {
  createOpenaiCompatibleReplica,
  type OpenaiCompatibleReplica,
} from './openai-compatible-replica.js';

describe('OpenaiCompatible → @g4f/server → client → replicas', () => {
  let acytooReplica: AcytooReplica;
  let upstream: OpenaiCompatibleReplica;
  let server: RunningServer;
  let provider: OpenaiCompatible;
  const messages = [{ role: 'user' as const, content: 'Hello' }];
  const tools = [{ type: 'function', function: { name: 'get_weather', parameters: {} } }];

  beforeAll(async () => {
    acytooReplica = await createAcytooReplica({ chunkDelayMs: 0 });
    upstream = await createOpenaiCompatibleReplica({ chunkDelayMs: 0 });
    const client = new Client({
      providers: [
        new Acytoo({ baseUrl: acytooReplica.url }),
        new OpenaiCompatible({
          baseUrl: upstream.baseUrl,
          name: 'Upstream',
          models: ['gpt-4o-mini'],
        }),
      ],
    });
    server = await startServer({ client, port: 0 });
    provider = new OpenaiCompatible({ baseUrl: `${server.url}/v1`, name: 'G4f', label: 'g4f' });
  });
  afterAll(async () => {
    await server.close();
    await acytooReplica.close();
    await upstream.close();
  });

  it("streams the Acytoo replica's answer end to end, with usage and finish reason", async () => {
    const chunks = await collectChunks(
      provider.createAsyncGenerator({ model: 'gpt-3.5-turbo', messages }),
    );
    expect(joinText(chunks)).toBe(acytooReplica.state.answer);
    expect(chunks.some((c) => c instanceof Usage && c.totalTokens > 0)).toBe(true);
    expect(chunks.find((c) => c instanceof FinishReason)).toEqual(new FinishReason('stop'));
  });

  it('reads the same answer whole when not streaming', async () => {
    const chunks = await collectChunks(
      provider.createAsyncGenerator({ model: 'gpt-3.5-turbo', messages, stream: false }),
    );
    expect(joinText(chunks)).toBe(acytooReplica.state.answer.trim());
  });

  it("lists the server's models", async () => {
    const models = await provider.getModels();
    expect(models).toEqual(expect.arrayContaining(['gpt-3.5-turbo', 'gpt-4o-mini']));
  });

  it('passes a tool call through both hops, and the tool result back', async () => {
    const first = await collectChunks(
      provider.createAsyncGenerator({ model: 'gpt-4o-mini', messages, tools }),
    );
    const calls = joinToolCalls(first.flatMap((c) => (c instanceof ToolCalls ? c.calls : [])));
    expect(calls).toEqual(upstream.state.toolCalls);
    expect(first.find((c) => c instanceof FinishReason)).toEqual(new FinishReason('tool_calls'));
    expect(upstream.calls.at(-1)!.json).toMatchObject({ model: 'gpt-4o-mini', tools });

    const second = await collectChunks(
      provider.createAsyncGenerator({
        model: 'gpt-4o-mini',
        tools,
        messages: [
          ...messages,
          { role: 'assistant', content: '', tool_calls: calls },
          { role: 'tool', content: '{"celsius":21}', tool_call_id: calls[0]!.id },
        ],
      }),
    );
    expect(joinText(second)).toBe('The tool says: {"celsius":21}');
    expect((upstream.calls.at(-1)!.json as { messages: unknown[] }).messages.slice(1)).toEqual([
      { role: 'assistant', content: '', tool_calls: calls },
      { role: 'tool', content: '{"celsius":21}', tool_call_id: calls[0]!.id },
    ]);
  });

  it("turns the server's 429 into a RateLimitError", async () => {
    acytooReplica.fail(
      ACYTOO_ROUTE,
      { kind: 'status', status: 429, headers: { 'retry-after': '3' }, body: 'slow down' },
      { times: 1 },
    );
    const error = await failureOf(
      collectChunks(provider.createAsyncGenerator({ model: 'gpt-3.5-turbo', messages })),
    );
    assert(RateLimitError.isInstance(error));
    expect(error.status).toBe(429);
  });
});
