import { Client } from '@g4f/client';
import {
  BaseProvider,
  type Chunk,
  type CreateOptions,
  FinishReason,
  joinToolCalls,
  Reasoning,
  type ToolCallDelta,
  ToolCalls,
  Usage,
  validateCreateOptions,
} from '@g4f/core';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from './server.js';

const CALL = {
  id: 'call_w1',
  type: 'function' as const,
  function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
};
const PIECES: ToolCallDelta[] = [
  { index: 0, id: CALL.id, type: 'function', function: { name: 'get_weather', arguments: '' } },
  { index: 0, function: { arguments: '{"city":' } },
  { index: 0, function: { arguments: '"Paris"}' } },
];

/**
 * Answers as a tool-calling OpenAI-compatible upstream does: with `tools`, reasoning then a
 * streamed tool call; after a `tool` message, text that quotes the tool's result.
 */
class ToolModel extends BaseProvider {
  readonly name = 'ToolModel';
  readonly label = 'Tool model';
  readonly url = 'https://tools.invalid';
  override readonly defaultModel = 'tool-model';
  readonly seen: (CreateOptions & { tools?: unknown; tool_choice?: unknown })[] = [];
  async *createAsyncGenerator(
    options: CreateOptions & { tools?: unknown; tool_choice?: unknown },
  ): AsyncGenerator<Chunk, void, undefined> {
    validateCreateOptions(options);
    this.seen.push(options);
    const last = options.messages.at(-1)!;
    if (last.role === 'tool') {
      yield `Paris: ${last.content}`;
      yield new Usage(30, 5);
      yield new FinishReason('stop');
      return;
    }
    yield new Reasoning('The user wants weather; ');
    yield new Reasoning('call the tool.');
    yield new ToolCalls(PIECES);
    yield new Usage(20, 10);
    yield new FinishReason('tool_calls');
  }
}

const tools: OpenAI.ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      parameters: { type: 'object', properties: { city: { type: 'string' } } },
    },
  },
];

describe('tool calls and reasoning through @g4f/server and the openai SDK', () => {
  let server: RunningServer;
  let openai: OpenAI;
  const provider = new ToolModel();
  beforeAll(async () => {
    server = await startServer({ client: new Client({ providers: [provider] }), port: 0 });
    openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'x', maxRetries: 0 });
  });
  afterAll(() => server.close());

  it('round-trips a tool call: the call, then the result back, then the answer', async () => {
    const messages: OpenAI.ChatCompletionMessageParam[] = [
      { role: 'user', content: 'Weather in Paris?' },
    ];
    const first = await openai.chat.completions.create({
      model: 'tool-model',
      messages,
      tools,
      tool_choice: 'auto',
    });
    expect(provider.seen.at(-1)).toMatchObject({ tools, tool_choice: 'auto' });
    const choice = first.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.tool_calls).toEqual([CALL]);
    expect((choice.message as { reasoning_content?: string }).reasoning_content).toBe(
      'The user wants weather; call the tool.',
    );
    expect(first.usage).toMatchObject({
      prompt_tokens: 20,
      completion_tokens: 10,
      total_tokens: 30,
    });

    messages.push(
      { role: 'assistant', content: null, tool_calls: choice.message.tool_calls },
      { role: 'tool', tool_call_id: CALL.id, content: '{"celsius":21}' },
    );
    const second = await openai.chat.completions.create({ model: 'tool-model', messages, tools });
    expect(second.choices[0]!.message.content).toBe('Paris: {"celsius":21}');
    expect(provider.seen.at(-1)!.messages.slice(1)).toEqual([
      { role: 'assistant', content: '', tool_calls: [CALL] },
      { role: 'tool', content: '{"celsius":21}', tool_call_id: CALL.id },
    ]);
  });

  it('streams reasoning_content and tool_calls deltas the SDK can join', async () => {
    const stream = await openai.chat.completions.create({
      model: 'tool-model',
      messages: [{ role: 'user', content: 'Weather?' }],
      tools,
      stream: true,
    });
    let reasoning = '';
    const pieces: ToolCallDelta[] = [];
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      const delta = chunk.choices[0]!.delta as OpenAI.ChatCompletionChunk.Choice.Delta & {
        reasoning_content?: string;
      };
      reasoning += delta.reasoning_content ?? '';
      pieces.push(...((delta.tool_calls ?? []) as ToolCallDelta[]));
      finish = chunk.choices[0]!.finish_reason ?? finish;
      usage = chunk.usage ?? usage;
    }
    expect(reasoning).toBe('The user wants weather; call the tool.');
    expect(joinToolCalls(pieces)).toEqual([CALL]);
    expect(finish).toBe('tool_calls');
    expect(usage?.total_tokens).toBe(30);
  });

  it('refuses a tool message without its tool_call_id, and a malformed tool', async () => {
    const noId = openai.chat.completions.create({
      model: 'tool-model',
      messages: [{ role: 'tool', content: 'x' } as OpenAI.ChatCompletionMessageParam],
    });
    await expect(noId).rejects.toMatchObject({ status: 400 });
    const badTool = openai.chat.completions.create({
      model: 'tool-model',
      messages: [{ role: 'user', content: 'x' }],
      tools: [{ type: 'function' } as OpenAI.ChatCompletionTool],
    });
    await expect(badTool).rejects.toMatchObject({ status: 400 });
  });
});
