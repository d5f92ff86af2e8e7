import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { Acytoo } from '@g4f/acytoo';
import { ACYTOO_ROUTE } from '@g4f/acytoo/replica';
import { Client } from '@g4f/client';
import { createReplicaServer } from '@g4f/core/replica';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestLogEntry } from './options.js';
import { startServer } from './server.js';
import { type Stack, startStack } from './test-setup.js';

const KEY = 'sk-raw-77aa';
const auth = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
const chatBody = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ model: 'gpt-3.5-turbo', messages: [{ role: 'user', content: 'hi' }], ...extra });

interface Answer {
  status: number;
  headers: Headers;
  json: { error?: { code: string; param: string | null; message: string } } & Record<
    string,
    unknown
  >;
}

async function post(
  url: string,
  body: string | Uint8Array,
  headers: Record<string, string> = auth,
): Promise<Answer> {
  const res = await fetch(url, { method: 'POST', body, headers });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Answer['json'] };
}

/** A raw socket to the server, for what fetch cannot send. */
async function rawSocket(url: string): Promise<Socket> {
  const { port } = new URL(url);
  const socket = connect(Number(port), '127.0.0.1');
  await once(socket, 'connect');
  return socket;
}

describe('@g4f/server over raw HTTP', () => {
  let stack: Stack;
  const log: RequestLogEntry[] = [];
  beforeAll(async () => {
    stack = await startStack({
      apiKey: KEY,
      bodyLimit: 64 * 1024,
      headersTimeout: 300,
      requestTimeout: 600,
      logger: (entry) => log.push(entry),
    });
  });
  afterAll(() => stack.close());
  const chatUrl = () => `${stack.server.url}/v1/chat/completions`;

  it('answers malformed JSON with 400 invalid_json', async () => {
    const answer = await post(chatUrl(), '{"model": "x", "messages": [');
    expect(answer.status).toBe(400);
    expect(answer.json.error?.code).toBe('invalid_json');
  });

  it('answers wrong types with 400 naming the field', async () => {
    const answer = await post(
      chatUrl(),
      JSON.stringify({ messages: [{ role: 'user', content: 5 }] }),
    );
    expect(answer.status).toBe(400);
    expect(answer.json.error?.param).toBe('messages.0.content');
    const notObject = await post(chatUrl(), '[1,2,3]');
    expect(notObject.status).toBe(400);
    expect(notObject.json.error?.code).toBe('invalid_body');
  });

  it('refuses a 10 MB body with 413 and keeps serving', async () => {
    const huge = Buffer.alloc(10 * 1024 * 1024, 'a');
    const answer = await post(chatUrl(), huge);
    expect(answer.status).toBe(413);
    expect(answer.json.error?.code).toBe('body_too_large');
    // Chunked, so no Content-Length warns the server in advance.
    const socket = await rawSocket(stack.server.url);
    socket.write(
      `POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${KEY}\r\ntransfer-encoding: chunked\r\n\r\n`,
    );
    const piece = Buffer.alloc(32 * 1024, 'b');
    let text = '';
    socket.on('data', (d: Buffer) => {
      text += d.toString();
    });
    for (let i = 0; i < 8 && !socket.destroyed; i++) {
      socket.write(`${piece.length.toString(16)}\r\n`);
      socket.write(piece);
      socket.write('\r\n');
    }
    await once(socket, 'close');
    expect(text).toMatch(/^HTTP\/1.1 413/);
    expect((await post(chatUrl(), chatBody())).status).toBe(200);
  });

  it('refuses the proxy and api_base fields unless the operator allows them', async () => {
    const proxy = await post(chatUrl(), chatBody({ proxy: 'http://169.254.169.254:80' }));
    expect(proxy.status).toBe(400);
    expect(proxy.json.error?.param).toBe('proxy');
    const base = await post(chatUrl(), chatBody({ api_base: 'http://10.0.0.1/' }));
    expect(base.json.error?.param).toBe('api_base');
  });

  it('drops a slow-loris client after headersTimeout and keeps serving', async () => {
    const socket = await rawSocket(stack.server.url);
    socket.resume();
    socket.write('POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\n');
    const drip = setInterval(() => socket.write('x-drip: 1\r\n'), 50);
    await once(socket, 'close');
    clearInterval(drip);
    expect((await post(chatUrl(), chatBody())).status).toBe(200);
  });

  it('applies backpressure to a client that never reads, then closes the upstream', async () => {
    // An upstream with a 256 MB answer that counts how much of it the server has pulled.
    let pulled = 0;
    async function* endless(): AsyncGenerator<string> {
      const piece = 'hello world '.repeat(5461);
      for (let i = 0; i < 4096; i++) {
        pulled += piece.length;
        yield piece;
      }
    }
    const upstream = await createReplicaServer({
      routes: {
        [ACYTOO_ROUTE]: () => ({ headers: { 'content-type': 'text/plain' }, body: endless() }),
      },
    });
    const client = new Client({ providers: [new Acytoo({ baseUrl: upstream.url })] });
    const server = await startServer({ client, port: 0 });
    try {
      const socket = await rawSocket(server.url);
      const body = chatBody({ stream: true });
      socket.write(
        `POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      socket.pause();
      await upstream.waitFor(() => pulled > 0);
      const call = upstream.callsTo(ACYTOO_ROUTE)[0];
      // Loopback socket buffers fill within moments; then the count must stand still. Wait for
      // 500 ms without growth (a loaded machine pauses the pipeline briefly), then check again.
      let before = -1;
      let still = 0;
      const deadline = Date.now() + 15_000;
      while (still < 5 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        still = pulled === before ? still + 1 : 0;
        before = pulled;
      }
      await new Promise((r) => setTimeout(r, 500));
      expect(pulled).toBe(before);
      expect(pulled).toBeLessThan(128 * 1024 * 1024);
      expect(call?.finished).toBe(false);
      socket.destroy();
      await upstream.waitFor(() => call?.closedEarly === true, 1000);
    } finally {
      await server.close();
      await upstream.close();
    }
  });

  it('serves /health without a key and /metrics in Prometheus text with one', async () => {
    await post(chatUrl(), '{');
    await post(chatUrl(), Buffer.alloc(100 * 1024));
    await post(chatUrl(), chatBody());
    const health = await fetch(`${stack.server.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect((await fetch(`${stack.server.url}/metrics`)).status).toBe(401);
    const metrics = await fetch(`${stack.server.url}/metrics`, { headers: auth });
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await metrics.text();
    expect(text).toMatch(
      /g4f_http_requests_total\{method="POST",route="\/v1\/chat\/completions",status="400"\} \d+/,
    );
    expect(text).toMatch(/g4f_errors_total\{class="HttpError",status="413"\}/);
    expect(text).toContain('g4f_open_streams 0');
    expect(text).toMatch(/g4f_upstream_latency_seconds_count\{provider="Acytoo",kind="chat"\} \d+/);
  });

  it('lists providers with their health, and 404s unknown ones', async () => {
    const res = await fetch(`${stack.server.url}/v1/providers`, { headers: auth });
    const list = (await res.json()) as { id: string; health: { available: boolean } | null }[];
    expect(list.map((p) => p.id)).toEqual(['Acytoo', 'Websim']);
    expect(list[0]?.health?.available).toBe(true);
    const one = await fetch(`${stack.server.url}/v1/providers/Websim`, { headers: auth });
    expect(((await one.json()) as { image_models: string[] }).image_models).toEqual(['flux']);
    const models = await fetch(`${stack.server.url}/api/Websim/models`, { headers: auth });
    expect(((await models.json()) as { data: { id: string }[] }).data.map((m) => m.id)).toContain(
      'gemini-2.5-flash',
    );
    expect((await fetch(`${stack.server.url}/v1/providers/Nope`, { headers: auth })).status).toBe(
      404,
    );
  });

  it('sends an error event and [DONE] when the upstream breaks after content started', async () => {
    stack.acytooReplica.fail(ACYTOO_ROUTE, { kind: 'cut', afterBytes: 10 }, { times: 1 });
    const res = await fetch(chatUrl(), {
      method: 'POST',
      headers: auth,
      body: chatBody({ stream: true, provider: 'Acytoo' }),
    });
    expect(res.status).toBe(200);
    const text = await res.text();
    const events = text.split('\n\n').filter(Boolean);
    expect(events.at(-1)).toBe('data: [DONE]');
    const error = JSON.parse(events.at(-2)!.slice('data: '.length)) as { error: { type: string } };
    expect(error.error.type).toBe('upstream_error');
  });

  it('keeps CORS off unless configured', async () => {
    const res = await fetch(`${stack.server.url}/health`, {
      headers: { origin: 'https://evil.example' },
    });
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const open = await startStack({ cors: ['https://app.example'] });
    try {
      const pre = await fetch(`${open.server.url}/v1/chat/completions`, {
        method: 'OPTIONS',
        headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
      });
      expect(pre.status).toBe(204);
      expect(pre.headers.get('access-control-allow-origin')).toBe('https://app.example');
      const other = await fetch(`${open.server.url}/health`, {
        headers: { origin: 'https://evil.example' },
      });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await open.close();
    }
  });

  it('never writes a key into the log', async () => {
    await fetch(`${stack.server.url}/v1/models`, {
      headers: { authorization: 'Bearer sk-leak-check-123' },
    });
    expect(log.length).toBeGreaterThan(0);
    expect(JSON.stringify(log)).not.toContain('sk-leak-check-123');
    expect(JSON.stringify(log)).not.toContain(KEY);
  });

  it('lets an open stream finish on close(), then ends it at shutdownTimeout', async () => {
    const slow = await startStack({ chunkDelayMs: 40, chunkBytes: 1, shutdownTimeout: 200 });
    const res = await fetch(`${slow.server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: chatBody({ stream: true }),
    });
    const reading = res.text();
    await slow.acytooReplica.waitFor(() => slow.acytooReplica.callsTo(ACYTOO_ROUTE).length === 1);
    await slow.close();
    const text = await reading;
    expect(text).toMatch(/data: \{"error":\{"message":"The server is shutting down"/);
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
  });
});
