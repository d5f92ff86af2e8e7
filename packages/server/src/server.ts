import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type App, createApp } from './app.js';
import type { ServerOptions } from './options.js';

/** A running server. */
export interface RunningServer {
  /** `http://host:port`, without a trailing slash. */
  readonly url: string;
  readonly port: number;
  /** The request handler, with its metrics. */
  readonly app: App;
  /**
   * Stops accepting connections, lets open answers finish for up to `shutdownTimeout`, then
   * ends them (streams get an error event and `[DONE]`) and closes every socket.
   */
  close(): Promise<void>;
}

/**
 * Starts the OpenAI-compatible API on `host:port` (default `127.0.0.1:1337`; `port: 0` picks a
 * free port).
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const app = createApp(options);
  const headersTimeout = options.headersTimeout ?? 10_000;
  const server = createServer(
    {
      headersTimeout,
      requestTimeout: options.requestTimeout ?? 30_000,
      // Node checks the two timeouts only this often (30 s by default).
      connectionsCheckingInterval: Math.min(1000, headersTimeout),
      // Streams are written as they come; Nagle's delay would hold small events back.
      noDelay: true,
    },
    app,
  );
  const host = options.host ?? '127.0.0.1';
  server.listen(options.port ?? 1337, host);
  await Promise.race([
    once(server, 'listening'),
    once(server, 'error').then(([error]) => {
      throw error;
    }),
  ]);
  const { port } = server.address() as AddressInfo;
  const shown = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shown}:${port}`,
    port,
    app,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await app.drain(options.shutdownTimeout ?? 10_000);
        server.closeAllConnections();
        await closed;
      })();
      return closing;
    },
  };
}
