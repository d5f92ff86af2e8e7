import { Acytoo } from '@g4f/acytoo';
import { createAcytooReplica } from '@g4f/acytoo/replica';
import { Client } from '@g4f/client';
import { startServer } from '@g4f/server';

/**
 * `@g4f/server` end to end: the Acytoo replica, a client over it, the OpenAI-compatible server on
 * a free port, and one streamed chat completion read over HTTP as any OpenAI SDK would.
 */
export async function serverScene(write: (text: string) => void): Promise<void> {
  const replica = await createAcytooReplica();
  const client = new Client({ providers: [new Acytoo({ baseUrl: replica.url })] });
  const server = await startServer({ client, port: 0, apiKey: 'demo-key' });
  try {
    write(`POST ${server.url}/v1/chat/completions (stream)\n`);
    const res = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer demo-key', 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'Say hello.' }], stream: true }),
    });
    if (!res.ok || !res.body) throw new Error(`server answered ${res.status}`);
    let buffer = '';
    const decoder = new TextDecoder();
    for await (const bytes of res.body) {
      buffer += decoder.decode(bytes, { stream: true });
      const events = buffer.split('\n\n');
      buffer = events.pop() ?? '';
      for (const event of events) {
        const data = event.replace(/^data: /, '');
        if (data === '[DONE]') return;
        const chunk = JSON.parse(data) as { choices: { delta: { content?: string } }[] };
        write(chunk.choices[0]?.delta.content ?? '');
      }
    }
    throw new Error('the stream ended without [DONE]');
  } finally {
    await server.close();
    await replica.close();
  }
}
