import type { Messages, Provider } from '@g4f/core';
import type { ReplicaServer } from '@g4f/core/replica';

/** Starts a replica, points a provider at it, and streams one answer to `write`. */
export async function streamFromReplica(
  startReplica: () => Promise<ReplicaServer>,
  createProvider: (baseUrl: string) => Provider,
  messages: Messages,
  write: (text: string) => void,
): Promise<void> {
  const replica = await startReplica();
  try {
    const provider = createProvider(replica.url);
    for await (const chunk of provider.createAsyncGenerator({ messages, timeout: 10_000 })) {
      // Text chunks as they are; an image or finish reason as g4f prints it.
      write(String(chunk));
    }
  } finally {
    await replica.close();
  }
}
