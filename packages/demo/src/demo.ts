// `pnpm demo`: first the `g4f` command (built @g4f/cli) against the bundled replicas, then the
// libraries underneath it; every replica runs on 127.0.0.1, so a machine with no network shows
// the whole flow.
import { Acytoo } from '@g4f/acytoo';
import { createAcytooReplica } from '@g4f/acytoo/replica';
import { Aura } from '@g4f/aura';
import { createAuraReplica } from '@g4f/aura/replica';
import { ChatgptFree } from '@g4f/chatgptfree';
import { createChatgptFreeReplica } from '@g4f/chatgptfree/replica';
import { createMemoryStore, type Messages } from '@g4f/core';
import { RobocodersAPI } from '@g4f/robocoders';
import { createRobocodersReplica } from '@g4f/robocoders/replica';
import { Websim } from '@g4f/websim';
import { createWebsimReplica } from '@g4f/websim/replica';
import { aiSdkStream } from './ai-sdk-scene.js';
import {
  cliChatEach,
  cliCheck,
  cliFallback,
  cliImage,
  cliProviders,
  cliServe,
} from './cli-scenes.js';
import { clientFallback } from './client-fallback-scene.js';
import { coreStream } from './core-stream.js';
import { openaiCompatibleScene } from './openai-compatible-scene.js';
import { streamFromReplica } from './provider-scene.js';
import { serverScene } from './server-scene.js';

const messages: Messages = [
  { role: 'system', content: 'You are a friendly assistant.' },
  { role: 'user', content: 'Say hello.' },
];

interface Scene {
  title: string;
  run: (write: (text: string) => void) => Promise<void>;
}

const scenes: Scene[] = [
  { title: 'g4f providers: the bundled providers', run: cliProviders },
  { title: 'g4f chat --replicas: each provider against its replica', run: cliChatEach },
  { title: 'g4f chat: fallback (Acytoo fails, Aura answers)', run: cliFallback },
  { title: 'g4f image --replicas: Websim flux', run: cliImage },
  {
    title: 'g4f check: which upstreams answer (one replica shows a challenge page)',
    run: cliCheck,
  },
  { title: 'g4f serve --replicas: the official openai SDK streams a chat', run: cliServe },
  { title: '@g4f/core: SSE stream from a replica', run: coreStream },
  {
    title: '@g4f/acytoo: Acytoo (raw text stream)',
    run: (write) =>
      streamFromReplica(createAcytooReplica, (baseUrl) => new Acytoo({ baseUrl }), messages, write),
  },
  {
    title: '@g4f/aura: Aura (chatbot-ui body, raw text stream)',
    run: (write) =>
      streamFromReplica(createAuraReplica, (baseUrl) => new Aura({ baseUrl }), messages, write),
  },
  {
    title: '@g4f/chatgptfree: ChatgptFree (scraped nonce, data: lines)',
    run: (write) =>
      streamFromReplica(
        createChatgptFreeReplica,
        (baseUrl) => new ChatgptFree({ baseUrl }),
        messages,
        write,
      ),
  },
  {
    title: '@g4f/robocoders: RobocodersAPI (scraped token, session, NDJSON with continue)',
    run: (write) =>
      streamFromReplica(
        () => createRobocodersReplica({ waitForResponse: true }),
        // A memory store keeps the demo from writing credentials into your cache folder.
        (baseUrl) => new RobocodersAPI({ baseUrl, store: createMemoryStore() }),
        messages,
        write,
      ),
  },
  {
    title: '@g4f/websim: Websim chat (one JSON answer)',
    run: (write) =>
      streamFromReplica(createWebsimReplica, (baseUrl) => new Websim({ baseUrl }), messages, write),
  },
  {
    title: '@g4f/websim: Websim image (flux)',
    run: async (write) => {
      const replica = await createWebsimReplica();
      try {
        const provider = new Websim({ baseUrl: replica.url });
        const prompt = [{ role: 'user' as const, content: 'A lighthouse at dusk' }];
        for await (const chunk of provider.createAsyncGenerator({
          model: 'flux',
          messages: prompt,
        })) {
          write(String(chunk));
        }
      } finally {
        await replica.close();
      }
    },
  },
  { title: '@g4f/client: fallback (Acytoo fails, Aura answers)', run: clientFallback },
  { title: '@g4f/ai-sdk: streamText from the Vercel AI SDK (Aura)', run: aiSdkStream },
  { title: '@g4f/server: OpenAI-compatible API over the client (SSE)', run: serverScene },
  { title: '@g4f/openai-compatible: OpenaiCompatible and Ollama', run: openaiCompatibleScene },
];

let failed = 0;
for (const scene of scenes) {
  process.stdout.write(`\n== ${scene.title}\n`);
  const started = performance.now();
  try {
    await scene.run((text) => process.stdout.write(text));
    process.stdout.write(`\n   (${Math.round(performance.now() - started)} ms)\n`);
  } catch (error) {
    failed++;
    process.stdout.write(
      `\n   failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`,
    );
  }
}
process.stdout.write(`\n${scenes.length - failed} of ${scenes.length} scenes streamed.\n`);
process.exitCode = failed > 0 ? 1 : 0;
