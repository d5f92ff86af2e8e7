// A strict TypeScript consumer: compiles under node16, nodenext and bundler resolution.

import { type Acytoo, type AcytooSettings, acytoo, createAcytoo } from '@g4f/acytoo';
import { type AcytooReplica, createAcytooReplica } from '@g4f/acytoo/replica';
import { type Chunk, type Message, ProviderError, RateLimitError } from '@g4f/core';
import { createReplicaServer, type ReplicaServer } from '@g4f/core/replica';

const settings: AcytooSettings = { timeout: 5_000 };
const provider: Acytoo = createAcytoo(settings);
const messages: Message[] = [{ role: 'user', content: 'Hello' }];

export async function answer(replica: AcytooReplica): Promise<string> {
  let text = '';
  const chunks: AsyncIterable<Chunk> = createAcytoo({ baseUrl: replica.url }).createAsyncGenerator({
    messages,
  });
  for await (const chunk of chunks) text += String(chunk);
  return text;
}

export function classify(error: unknown): string {
  if (error instanceof RateLimitError) return `rate limited, retry in ${error.retryAfterMs} ms`;
  return error instanceof ProviderError ? error.message : 'unknown';
}

export const kit: Array<() => Promise<ReplicaServer>> = [
  () => createReplicaServer({ routes: {} }),
  () => createAcytooReplica(),
];
export const instances: Acytoo[] = [provider, acytoo];
