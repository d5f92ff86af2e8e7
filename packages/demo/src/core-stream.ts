import { httpRequest, parseSseStream, raiseForStatus } from '@g4f/core';
import { createReplicaServer } from '@g4f/core/replica';

/** A core-only stream: SSE from a replica-kit server, parsed by core's SSE parser. */
export async function coreStream(write: (text: string) => void): Promise<void> {
  const words = 'Streaming from a loopback replica, parsed byte by byte.'.split(' ');
  const replica = await createReplicaServer({
    routes: {
      'GET /events': () => ({
        headers: { 'content-type': 'text/event-stream' },
        body: words.map((word) => `data: ${word} \n\n`),
        chunkDelayMs: 30,
      }),
    },
  });
  try {
    const response = await httpRequest(`${replica.url}/events`);
    await raiseForStatus(response);
    for await (const event of parseSseStream(response.body)) write(event.data);
  } finally {
    await replica.close();
  }
}
