import { joinToolCalls, Reasoning, ToolCalls } from '@g4f/core';
import { Ollama, OpenaiCompatible } from '@g4f/openai-compatible';
import { createOllamaReplica, createOpenaiCompatibleReplica } from '@g4f/openai-compatible/replica';

/** Writes reasoning after a `thinking:` label and the answer after an `answer:` label. */
function labelled(write: (text: string) => void): (chunk: unknown) => void {
  let last: 'thinking' | 'answer' | undefined;
  return (chunk) => {
    const kind =
      chunk instanceof Reasoning ? 'thinking' : typeof chunk === 'string' ? 'answer' : undefined;
    if (kind === undefined) return;
    if (kind !== last) write(`${last ? '\n' : ''}${kind}: `);
    last = kind;
    write(chunk instanceof Reasoning ? chunk.text : String(chunk));
  };
}

/**
 * `@g4f/openai-compatible`: an OpenAI-compatible server's replica (reasoning, then text, then
 * a tool call), and the Ollama replica's native `/api/chat` with its `thinking`.
 */
export async function openaiCompatibleScene(write: (text: string) => void): Promise<void> {
  const upstream = await createOpenaiCompatibleReplica({ reasoning: 'A greeting, so greet. ' });
  const ollamaReplica = await createOllamaReplica({ thinking: 'Short and kind. ' });
  try {
    const provider = new OpenaiCompatible({
      baseUrl: upstream.baseUrl,
      defaultModel: 'gpt-4o-mini',
    });
    const messages = [{ role: 'user' as const, content: 'Say hello, then check the weather.' }];
    const show = labelled(write);
    for await (const chunk of provider.createAsyncGenerator({ messages })) show(chunk);
    const pieces = [];
    for await (const chunk of provider.createAsyncGenerator({
      messages,
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: {} } }],
    })) {
      if (chunk instanceof ToolCalls) pieces.push(...chunk.calls);
    }
    for (const call of joinToolCalls(pieces)) {
      write(`\ntool call: ${call.function.name}(${call.function.arguments})`);
    }
    write('\nOllama 🦙 (native /api/chat)\n');
    const ollama = new Ollama({ baseUrl: ollamaReplica.url });
    const showOllama = labelled(write);
    for await (const chunk of ollama.createAsyncGenerator({ messages })) showOllama(chunk);
  } finally {
    await upstream.close();
    await ollamaReplica.close();
  }
}
