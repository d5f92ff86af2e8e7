import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setImmediate, setTimeout as sleep } from 'node:timers/promises';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { challengePage } from './pages.js';

/** A request as the replica saw it. */
export interface ReplicaRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  url: URL;
  /** Lower-case header names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  /** Header names in the order and case the client sent them. */
  rawHeaderNames: string[];
  body: Buffer;
  /** The body as UTF-8 text. */
  text: string;
  /** The body parsed as JSON; `undefined` when it is empty or not JSON. */
  readonly json: unknown;
}

/** A request plus what became of it. */
export interface RecordedCall extends ReplicaRequest {
  /** `METHOD /path` of the route that answered, or `unmatched`. */
  route: string;
  /** True once the client closed the connection before the answer was complete. */
  closedEarly: boolean;
  /** True once the answer was completely written. */
  finished: boolean;
}

/** Bytes or text the replica writes; an async iterable is written as it produces. */
export type ReplicaBody =
  | string
  | Uint8Array
  | readonly (string | Uint8Array)[]
  | AsyncIterable<string | Uint8Array>;

/** What a route answers. */
export interface ReplicaResponse {
  status?: number;
  /** Reason phrase; chatbot-ui style servers put the error text here. */
  statusText?: string;
  headers?: Record<string, string | string[]>;
  body?: ReplicaBody;
  /**
   * A JSON document to send instead of `body`, serialized in one piece, with
   * `content-type: application/json` unless `headers` name another.
   */
  json?: unknown;
  /**
   * Pause before each write after the first, in ms, so the pieces leave as separate packets;
   * with 0 the replica still yields to the event loop between pieces.
   */
  chunkDelayMs?: number;
}

/** A failure a route can be told to show, in place of or on top of its normal answer. */
export type ReplicaFault =
  /** Answer this status (and body) instead. */
  | {
      kind: 'status';
      status: number;
      body?: string;
      contentType?: string;
      headers?: Record<string, string>;
      statusText?: string;
    }
  /** Answer a Cloudflare "Just a moment..." page (403 unless told otherwise). */
  | { kind: 'cloudflare'; status?: number }
  /** Wait before answering normally (slow first byte). */
  | { kind: 'delay'; ms: number }
  /** Never answer. */
  | { kind: 'hang' }
  /** Close the connection without answering. */
  | { kind: 'reset' }
  /** Write the first `afterBytes` bytes of the normal body, then destroy the socket. */
  | { kind: 'cut'; afterBytes: number }
  /** Write the first `afterBytes` bytes of the normal body, then go silent without closing. */
  | { kind: 'stall'; afterBytes: number }
  /** Re-cut the normal body into pieces of these sizes (cycled), `delayMs` apart. */
  | { kind: 'chunks'; sizes: readonly number[]; delayMs?: number }
  /**
   * Compress the normal body with `encoding` and name it in `content-encoding`, as a server
   * does that compresses whatever the client asked for. An encoding the replica cannot
   * produce (e.g. `zstd`) is named in the header and the body is sent unchanged.
   */
  | { kind: 'encoding'; encoding: string };

/** Extra facts a handler gets. */
export interface ReplicaContext {
  /** The replica's own base URL, e.g. to build absolute links. */
  baseUrl: string;
  /** How many requests this route has seen before this one. */
  callIndex: number;
}

/** Computes a route's answer. */
export type ReplicaHandler = (
  request: ReplicaRequest,
  context: ReplicaContext,
) => ReplicaResponse | Promise<ReplicaResponse>;

/** Options of {@link createReplicaServer}. */
export interface ReplicaServerOptions {
  /** Routes keyed `METHOD /path`, e.g. `POST /api/completions`; a final `*` matches any rest. */
  routes: Record<string, ReplicaHandler>;
}

/** A running replica. */
export interface ReplicaServer {
  /** Base URL, `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** Every request seen, oldest first. */
  readonly calls: readonly RecordedCall[];
  /** The calls one route answered. */
  callsTo(route: string): RecordedCall[];
  /**
   * Makes the next `times` (default every) requests to `route` show `fault`, after letting
   * `skip` (default 0) requests through untouched: e.g. `{ skip: 1, times: 1 }` fails only a
   * follow-up request to the same route. Queued faults apply in order; one that replaces the
   * answer leaves later ones for later requests.
   */
  fail(route: string, fault: ReplicaFault, options?: { times?: number; skip?: number }): void;
  /** Removes every fault. */
  clearFaults(): void;
  /** Connections currently open from clients. */
  openConnections(): number;
  /** Resolves when `predicate` holds, polling every 5 ms; rejects after `timeoutMs` (2,000). */
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  /** Closes every connection and stops listening. */
  close(): Promise<void>;
}

interface FaultEntry {
  fault: ReplicaFault;
  remaining: number;
  /** Requests still to let through before this fault applies. */
  skip: number;
}

const TERMINAL = new Set<ReplicaFault['kind']>(['status', 'cloudflare', 'hang', 'reset']);

/** The fault kinds that change how the normal body is written. */
type BodyFault = Extract<ReplicaFault, { kind: 'cut' | 'stall' | 'chunks' | 'encoding' }>;

/** Compresses `bytes` as `encoding` says; unknown encodings leave the bytes as they are. */
function encode(bytes: Buffer, encoding: string): Buffer {
  switch (encoding) {
    case 'gzip':
    case 'x-gzip':
      return gzipSync(bytes);
    case 'deflate':
      return deflateSync(bytes);
    case 'br':
      return brotliCompressSync(bytes);
    default:
      return bytes;
  }
}

/** The whole body compressed, then cut into a few pieces so the client decodes a stream. */
async function* encoded(source: AsyncGenerator<Buffer>, encoding: string): AsyncGenerator<Buffer> {
  const all = [];
  for await (const piece of source) all.push(piece);
  const bytes = encode(Buffer.concat(all), encoding);
  const size = Math.max(1, Math.ceil(bytes.length / 3));
  for (let offset = 0; offset < bytes.length; offset += size)
    yield bytes.subarray(offset, offset + size);
}

function parseJson(text: string): unknown {
  try {
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    return undefined;
  }
}

function toBytes(piece: string | Uint8Array): Buffer {
  return typeof piece === 'string' ? Buffer.from(piece, 'utf8') : Buffer.from(piece);
}

async function* pieces(body: ReplicaBody | undefined): AsyncGenerator<Buffer> {
  if (body === undefined) return;
  if (typeof body === 'string' || body instanceof Uint8Array) {
    yield toBytes(body);
    return;
  }
  if (Symbol.asyncIterator in body) {
    for await (const piece of body as AsyncIterable<string | Uint8Array>) yield toBytes(piece);
    return;
  }
  for (const piece of body as readonly (string | Uint8Array)[]) yield toBytes(piece);
}

async function* rechunk(
  source: AsyncGenerator<Buffer>,
  sizes: readonly number[],
): AsyncGenerator<Buffer> {
  const all = [];
  for await (const piece of source) all.push(piece);
  const bytes = Buffer.concat(all);
  let index = 0;
  for (let offset = 0; offset < bytes.length; index++) {
    const size = Math.max(1, sizes[index % sizes.length] ?? 1);
    yield bytes.subarray(offset, offset + size);
    offset += size;
  }
}

function write(res: ServerResponse, chunk: Buffer): Promise<void> {
  return new Promise((resolve) => {
    if (res.destroyed) return resolve();
    res.write(chunk, () => resolve());
  });
}

/**
 * Starts a real HTTP server on 127.0.0.1 (a free port) that answers the given routes, records
 * every request, and can be told to fail per route. Provider replicas are built on it.
 */
export async function createReplicaServer(options: ReplicaServerOptions): Promise<ReplicaServer> {
  const calls: RecordedCall[] = [];
  const faults = new Map<string, FaultEntry[]>();
  const sockets = new Set<Socket>();
  const counters = new Map<string, number>();
  let baseUrl = '';

  // Faults apply in the order they were queued; one that replaces the answer (a status, a
  // challenge page, a hang, a reset) ends the list for this request, so the next queued one
  // waits for the next request.
  const takeFaults = (route: string): ReplicaFault[] => {
    const entries = faults.get(route) ?? [];
    const taken: ReplicaFault[] = [];
    for (const entry of entries) {
      if (entry.skip > 0) {
        entry.skip--;
        continue;
      }
      taken.push(entry.fault);
      entry.remaining--;
      if (TERMINAL.has(entry.fault.kind)) break;
    }
    faults.set(
      route,
      entries.filter((e) => e.remaining > 0),
    );
    return taken;
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', baseUrl);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const exactKey = `${req.method} ${url.pathname}`;
    const routeKey =
      exactKey in options.routes
        ? exactKey
        : (Object.keys(options.routes).find(
            (key) => key.endsWith('*') && exactKey.startsWith(key.slice(0, -1)),
          ) ?? exactKey);
    const handler = options.routes[routeKey];
    const text = body.toString('utf8');
    const call: RecordedCall = {
      method: req.method ?? 'GET',
      path: url.pathname,
      url,
      headers,
      rawHeaderNames: req.rawHeaders.filter((_, i) => i % 2 === 0),
      body,
      text,
      get json() {
        return parseJson(text);
      },
      route: handler ? routeKey : 'unmatched',
      closedEarly: false,
      finished: false,
    };
    calls.push(call);
    res.on('close', () => {
      if (!res.writableFinished) call.closedEarly = true;
    });
    res.on('finish', () => {
      call.finished = true;
    });

    if (!handler) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ detail: 'Not Found' }));
      return;
    }
    const callIndex = counters.get(routeKey) ?? 0;
    counters.set(routeKey, callIndex + 1);

    let bodyFault: BodyFault | undefined;
    for (const fault of takeFaults(routeKey)) {
      switch (fault.kind) {
        case 'delay':
          await sleep(fault.ms);
          break;
        case 'hang':
          return;
        case 'reset':
          req.socket.destroy();
          return;
        case 'status': {
          const contentType = fault.contentType ?? 'text/plain; charset=utf-8';
          res.writeHead(fault.status, fault.statusText ?? '', {
            'content-type': contentType,
            ...fault.headers,
          });
          res.end(fault.body ?? '');
          return;
        }
        case 'cloudflare':
          res.writeHead(fault.status ?? 403, {
            'content-type': 'text/html; charset=UTF-8',
            server: 'cloudflare',
          });
          res.end(challengePage);
          return;
        default:
          bodyFault = fault;
      }
    }

    const answer = await handler(call, { baseUrl, callIndex });
    const answerHeaders = { ...answer.headers };
    if (bodyFault?.kind === 'encoding') {
      for (const name of Object.keys(answerHeaders))
        if (/^content-(length|encoding)$/i.test(name)) delete answerHeaders[name];
      answerHeaders['content-encoding'] = bodyFault.encoding;
    }
    if (
      answer.json !== undefined &&
      !Object.keys(answerHeaders).some((h) => /^content-type$/i.test(h))
    )
      answerHeaders['content-type'] = 'application/json';
    res.writeHead(answer.status ?? 200, answer.statusText ?? '', answerHeaders);
    let source = pieces(answer.json === undefined ? answer.body : JSON.stringify(answer.json));
    let delayMs = answer.chunkDelayMs ?? 0;
    if (bodyFault?.kind === 'encoding') source = encoded(source, bodyFault.encoding);
    if (bodyFault?.kind === 'chunks') {
      source = rechunk(source, bodyFault.sizes);
      delayMs = bodyFault.delayMs ?? delayMs;
    }
    const limit =
      bodyFault?.kind === 'cut' || bodyFault?.kind === 'stall' ? bodyFault.afterBytes : Infinity;
    let written = 0;
    let first = true;
    for await (const piece of source) {
      if (res.destroyed) return;
      // Even with no delay, yield to the event loop between pieces: a client in the same
      // process must get to read, or the whole answer lands as one chunk.
      if (!first) await (delayMs > 0 ? sleep(delayMs) : setImmediate());
      first = false;
      const room = limit - written;
      const part = piece.length > room ? piece.subarray(0, room) : piece;
      if (part.length > 0) await write(res, part);
      written += part.length;
      if (written >= limit) break;
    }
    if (bodyFault?.kind === 'cut') {
      // Let the bytes leave before the socket goes, so the client sees a cut, not a reset.
      await sleep(20);
      req.socket.destroy();
      return;
    }
    if (bodyFault?.kind === 'stall') return;
    res.end();
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`Replica error: ${error instanceof Error ? error.message : String(error)}`);
      } else {
        res.destroy();
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://127.0.0.1:${port}`;

  return {
    url: baseUrl,
    port,
    calls,
    callsTo: (route) => calls.filter((c) => c.route === route),
    fail(route, fault, opts = {}) {
      const list = faults.get(route) ?? [];
      list.push({ fault, remaining: opts.times ?? Number.POSITIVE_INFINITY, skip: opts.skip ?? 0 });
      faults.set(route, list);
    },
    clearFaults: () => faults.clear(),
    openConnections: () => sockets.size,
    async waitFor(predicate, timeoutMs = 2000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error('Replica: condition not met in time');
        await sleep(5);
      }
    },
    async close() {
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
