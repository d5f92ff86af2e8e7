import { once } from 'node:events';
import { createServer, request as httpRequest } from 'node:http';
import { type AddressInfo, connect, type Socket } from 'node:net';

/** Options of {@link createForwardProxy}. */
export interface ForwardProxyOptions {
  /** Answer every request with 403, as a proxy that does not let us through. */
  refuse?: boolean;
  /**
   * Require these credentials in `Proxy-Authorization` (Basic), answering 407 with
   * `Proxy-Authenticate` without them, as a proxy that wants a login.
   */
  requireAuth?: { username: string; password: string };
}

/** A running forward proxy. */
export interface ForwardProxy {
  /** `http://127.0.0.1:<port>`, usable as a `proxy` setting. */
  readonly url: string;
  /** `host:port` of every tunnel or request it was asked for, oldest first. */
  readonly requests: readonly string[];
  close(): Promise<void>;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\])$/;

/** The status line to refuse a request with, or undefined to let it through. */
function refusal(
  options: ForwardProxyOptions,
  host: string,
  authorization: string | undefined,
): 403 | 407 | undefined {
  if (options.refuse || !LOOPBACK.test(host)) return 403;
  const auth = options.requireAuth;
  if (!auth) return undefined;
  const expected = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
  return authorization === expected ? undefined : 407;
}

const REFUSAL_LINES = {
  403: 'HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n',
  407: 'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="replica"\r\nContent-Length: 0\r\n\r\n',
} as const;

/**
 * A small HTTP forward proxy on 127.0.0.1: `CONNECT` tunnels (what undici's `ProxyAgent`
 * sends) and absolute-URL requests. It only reaches loopback addresses, so a test can never
 * send traffic off the machine through it.
 */
export async function createForwardProxy(options: ForwardProxyOptions = {}): Promise<ForwardProxy> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const target = new URL(req.url ?? '/');
    requests.push(target.host);
    const refused = refusal(options, target.hostname, req.headers['proxy-authorization']);
    if (refused === 403) {
      res.writeHead(403).end('Forbidden by proxy');
      return;
    }
    if (refused === 407) {
      res.writeHead(407, { 'proxy-authenticate': 'Basic realm="replica"' }).end();
      return;
    }
    const { 'proxy-authorization': _credentials, ...headers } = req.headers;
    const upstream = httpRequest(target, { method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connect', (req, client: Socket, head: Buffer) => {
    const target = req.url ?? '';
    requests.push(target);
    const [host = '', port = '80'] = target.split(/:(?=\d+$)/);
    const refused = refusal(options, host, req.headers['proxy-authorization']);
    if (refused !== undefined) {
      client.end(REFUSAL_LINES[refused]);
      return;
    }
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    const destroyBoth = (): void => {
      upstream.destroy();
      client.destroy();
    };
    upstream.on('error', destroyBoth);
    client.on('error', destroyBoth);
    client.on('close', () => upstream.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    async close() {
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
