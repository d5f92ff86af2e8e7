import { createG4F } from '@g4f/ai-sdk';
import { Aura } from '@g4f/aura';
import { createAuraReplica } from '@g4f/aura/replica';
import { streamText } from 'ai';

/**
 * `@g4f/ai-sdk`: the Vercel AI SDK's own `streamText` drives the Aura provider against its
 * replica, through the LanguageModelV3 adapter.
 */
export async function aiSdkStream(write: (text: string) => void): Promise<void> {
  const replica = await createAuraReplica();
  try {
    const g4f = createG4F({ provider: new Aura({ baseUrl: replica.url }), timeout: 10_000 });
    const result = streamText({ model: g4f(), prompt: 'Say hello.', maxRetries: 0 });
    for await (const text of result.textStream) write(text);
    const usage = await result.usage;
    write(
      `\n   finish: ${await result.finishReason}, usage (estimate): ${usage.inputTokens} in, ${usage.outputTokens} out`,
    );
  } finally {
    await replica.close();
  }
}
