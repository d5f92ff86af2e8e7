// The suite run against a minimal SSE provider built only on core, so the suite itself is
// exercised before any real provider uses it.
import type { Chunk } from '../chunks.js';
import { httpRequest } from '../http/http-request.js';
import { raiseForStatus } from '../http/raise-for-status.js';
import { BaseProvider, validateMessages } from '../provider/base-provider.js';
import type { CreateOptions } from '../provider/provider.js';
import { createReplicaServer } from '../replica/replica-server.js';
import { readSseJson } from '../stream/json-lines.js';
import { runProviderConformance } from './index.js';

class SseEcho extends BaseProvider {
  readonly name = 'SseEcho';
  readonly label = 'SSE Echo';
  readonly url: string;
  override readonly defaultModel = 'echo-1';
  override readonly models = ['echo-1', 'echo-2'];
  override readonly modelAliases = { echo: 'echo-1' };
  constructor(private readonly baseUrl: string) {
    super();
    this.url = baseUrl;
  }
  async *createAsyncGenerator(options: CreateOptions): AsyncGenerator<Chunk> {
    validateMessages(options.messages);
    const response = await httpRequest(`${this.baseUrl}/v1/chat`, {
      method: 'POST',
      body: JSON.stringify({ model: this.getModel(options.model), messages: options.messages }),
      headers: { 'content-type': 'application/json' },
      proxy: options.proxy,
      signal: options.signal,
      timeout: options.timeout,
    });
    await raiseForStatus(response);
    for await (const event of readSseJson(response.body)) {
      const text = (event as { choices: [{ delta: { content?: string } }] }).choices[0].delta
        .content;
      if (text) yield text;
    }
  }
}

runProviderConformance('SseEcho', {
  route: 'POST /v1/chat',
  startReplica: () =>
    createReplicaServer({
      routes: {
        'POST /v1/chat': (req) => {
          const { messages } = JSON.parse(req.text) as { messages: { content: string }[] };
          const words = messages.at(-1)!.content.split(' ');
          return {
            headers: { 'content-type': 'text/event-stream' },
            body: [
              ...words.map((w) => `data: {"choices":[{"delta":{"content":"${w} "}}]}\n\n`),
              'data: [DONE]\n\n',
            ],
          };
        },
      },
    }),
  createProvider: (baseUrl) => new SseEcho(baseUrl),
  expected: {
    label: 'SSE Echo',
    defaultModel: 'echo-1',
    aliases: { echo: 'echo-1' },
    unknownModel: 'gpt-9',
  },
});
