// The suite run against a minimal SSE provider built only on core's public API, so the suite
// itself is exercised before any real provider uses it.
import {
  BaseProvider,
  type Chunk,
  type CreateOptions,
  raiseForStatus,
  readSseJson,
  rejectHtmlAnswer,
  validateCreateOptions,
} from '@g4f/core';
import { createReplicaServer } from '@g4f/core/replica';
import { runProviderConformance } from './index.js';

class SseEcho extends BaseProvider {
  readonly name = 'SseEcho';
  readonly label = 'SSE Echo';
  readonly url = 'https://echo.invalid';
  override readonly defaultModel = 'echo-1';
  override readonly models = ['echo-1', 'echo-2'];
  override readonly modelAliases = { echo: 'echo-1' };
  async *createAsyncGenerator(options: CreateOptions): AsyncGenerator<Chunk> {
    validateCreateOptions(options);
    const response = await this.request(
      '/v1/chat',
      {
        method: 'POST',
        body: JSON.stringify({ model: this.getModel(options.model), messages: options.messages }),
        headers: { 'content-type': 'application/json' },
      },
      options,
    );
    await raiseForStatus(response);
    await rejectHtmlAnswer(response);
    for await (const event of readSseJson(response.body)) {
      const text = (event as { choices: [{ delta: { content?: string } }] }).choices[0].delta
        .content;
      if (text) yield text;
    }
  }
}

runProviderConformance('SseEcho', {
  route: 'POST /v1/chat',
  cutAfterBytes: 60,
  answer: 'echo: Hello there ',
  messages: [{ role: 'user', content: 'Hello there' }],
  startReplica: () =>
    createReplicaServer({
      routes: {
        'POST /v1/chat': (req) => {
          const { messages } = req.json as { messages: { content: string }[] };
          const words = ['echo:', ...messages.at(-1)!.content.split(' ')];
          return {
            headers: { 'content-type': 'text/event-stream' },
            body: [
              ...words.map(
                (w) =>
                  `data: ${JSON.stringify({ choices: [{ delta: { content: `${w} ` } }] })}\n\n`,
              ),
              'data: [DONE]\n\n',
            ],
          };
        },
      },
    }),
  createProvider: (baseUrl) => new SseEcho({ baseUrl }),
  expected: {
    label: 'SSE Echo',
    defaultModel: 'echo-1',
    aliases: { echo: 'echo-1' },
    unknownModel: 'gpt-9',
  },
});
