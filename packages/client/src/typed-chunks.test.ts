import {
  BaseProvider,
  type Chunk,
  type CreateOptions,
  FinishReason,
  Reasoning,
  ToolCalls,
  Usage,
  validateCreateOptions,
} from '@g4f/core';
import { describe, expect, it } from 'vitest';
import { Client } from './client.js';

/** Yields a fixed list of chunks: what an OpenAI-compatible provider hands the client. */
class Scripted extends BaseProvider {
  readonly name = 'Scripted';
  readonly label = 'Scripted';
  readonly url = 'https://scripted.invalid';
  override readonly defaultModel = 'm';
  seen: CreateOptions[] = [];
  constructor(private readonly chunks: Chunk[]) {
    super();
  }
  async *createAsyncGenerator(options: CreateOptions): AsyncGenerator<Chunk, void, undefined> {
    validateCreateOptions(options);
    this.seen.push(options);
    yield* this.chunks;
  }
}

const toolPieces = [
  { index: 0, id: 'call_1', type: 'function' as const, function: { name: 'f', arguments: '' } },
  { index: 0, function: { arguments: '{"a":' } },
  { index: 0, function: { arguments: '1}' } },
];

describe('typed chunks through the client', () => {
  it('gives reasoning apart, the upstream usage, and tool calls in the whole answer', async () => {
    const provider = new Scripted([
      new Reasoning('think '),
      new Reasoning('more'),
      'Hello',
      new ToolCalls(toolPieces),
      new Usage(5, 7, 12),
      new FinishReason('tool_calls'),
    ]);
    const client = new Client({ providers: [provider] });
    const tools = [{ type: 'function', function: { name: 'f' } }];
    const answer = await client.chat.completions.create({
      messages: 'hi',
      tools,
      tool_choice: 'auto',
    });
    expect(provider.seen[0]).toMatchObject({ tools, tool_choice: 'auto' });
    expect(answer.choices[0].message).toEqual({
      role: 'assistant',
      content: 'Hello',
      refusal: null,
      reasoning_content: 'think more',
      tool_calls: [
        { id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } },
      ],
    });
    expect(answer.choices[0].finish_reason).toBe('tool_calls');
    expect(answer.usage).toEqual({
      prompt_tokens: 5,
      completion_tokens: 7,
      total_tokens: 12,
      prompt_tokens_details: { cached_tokens: 0 },
    });
  });

  it('streams reasoning_content and tool_calls deltas, and accepts a tool-only answer', async () => {
    const provider = new Scripted([new Reasoning('r'), new ToolCalls(toolPieces)]);
    const client = new Client({ providers: [provider] });
    const stream = await client.chat.completions.create({ messages: 'hi', stream: true });
    const deltas = [];
    const reasons = [];
    for await (const chunk of stream) {
      deltas.push(chunk.choices[0].delta);
      reasons.push(chunk.choices[0].finish_reason);
    }
    expect(deltas).toEqual([
      { role: 'assistant', content: '', reasoning_content: 'r' },
      { role: 'assistant', content: '', tool_calls: toolPieces },
      { role: 'assistant', content: '' },
    ]);
    expect(reasons).toEqual([null, null, 'tool_calls']);
  });

  it('sends tool messages and assistant tool calls on to the provider', async () => {
    const provider = new Scripted(['It is 20 degrees.']);
    const client = new Client({ providers: [provider] });
    const messages = [
      { role: 'user' as const, content: 'Weather?' },
      {
        role: 'assistant' as const,
        content: '',
        tool_calls: [
          { id: 'c', type: 'function' as const, function: { name: 'f', arguments: '{}' } },
        ],
      },
      { role: 'tool' as const, content: '{"t":20}', tool_call_id: 'c' },
    ];
    const answer = await client.chat.completions.create({ messages });
    expect(answer.choices[0].message.content).toBe('It is 20 degrees.');
    expect(provider.seen[0]!.messages).toEqual(messages);
  });
});
