// The least a Node streaming proxy can do, as the bench's yardstick for the server's own cost:
// node:http in, undici to the Acytoo replica, each upstream piece out as one SSE event. No
// validation, no client, no error handling beyond a 502: what is left of the server's added
// latency above this row is ours, the rest is Node and the machine.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';

/** Starts the bare proxy on a free loopback port; `close()` stops it. */
export async function startBareProxy(
  replicaUrl: string,
): Promise<{ url: string; close(): Promise<void> }> {
  const dispatcher = new Agent({ connections: 1000 });
  const upstream = `${replicaUrl}/api/completions`;
  const server: Server = createServer(async (req, res) => {
    try {
      const parts: Buffer[] = [];
      for await (const part of req) parts.push(part as Buffer);
      const { messages } = JSON.parse(Buffer.concat(parts).toString()) as { messages: unknown };
      const up = await request(upstream, {
        method: 'POST',
        dispatcher,
        headers: { accept: '*/*', 'content-type': 'application/json' },
        body: JSON.stringify({
          key: '',
          model: 'gpt-3.5-turbo',
          messages,
          temperature: 0.5,
          password: '',
        }),
      });
      // Anything but a 200 is a failed request, as the server would report it; never a stream.
      if (up.statusCode !== 200) throw new Error(`upstream answered ${up.statusCode}`);
      let headersSent = false;
      for await (const piece of up.body) {
        if (!headersSent) res.writeHead(200, { 'content-type': 'text/event-stream' });
        headersSent = true;
        res.write(`data: ${JSON.stringify({ content: (piece as Buffer).toString() })}\n\n`);
      }
      res.end('data: [DONE]\n\n');
    } catch {
      // A 502, or a cut stream once it started: the load generator counts either as an error.
      if (!res.headersSent) res.writeHead(502).end();
      else res.destroy();
    }
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await dispatcher.close();
    },
  };
}
