// Chooses the HTTP layer on measurement: the same streaming route (JSON body in, 20 SSE events
// out, one event-loop turn between events as an upstream would) on node:http, Fastify and Hono,
// loaded from a second process. Run: pnpm --filter @g4f/server bench:http-layer
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setImmediate as tick } from 'node:timers/promises';
import { serve } from '@hono/node-server';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { stream } from 'hono/streaming';
import { loadFromSecondProcess, quantile } from './stats.js';

const EVENTS = 20;
const event = (i: number) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-x', choices: [{ delta: { content: `piece ${i} ` } }] })}\n\n`;

async function* events(): AsyncGenerator<string> {
  for (let i = 0; i < EVENTS; i++) {
    yield event(i);
    await tick();
  }
  yield 'data: [DONE]\n\n';
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return JSON.parse(Buffer.concat(parts).toString('utf8'));
}

async function nodeHttp(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    await readJson(req);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    for await (const e of events()) res.write(e);
    res.end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

async function fastify(): Promise<{ url: string; close: () => Promise<void> }> {
  const app = Fastify();
  app.post('/v1/chat/completions', async (_request, reply) => {
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    for await (const e of events()) reply.raw.write(e);
    reply.raw.end();
    return reply;
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url, close: () => app.close() };
}

async function hono(): Promise<{ url: string; close: () => Promise<void> }> {
  const app = new Hono();
  app.post('/v1/chat/completions', async (c) => {
    await c.req.json();
    c.header('content-type', 'text/event-stream');
    return stream(c, async (s) => {
      for await (const e of events()) await s.write(e);
    });
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

const layers = { 'node:http': nodeHttp, Fastify: fastify, Hono: hono };
const body = JSON.stringify({
  model: 'x',
  messages: [{ role: 'user', content: 'hi' }],
  stream: true,
});
console.log(`HTTP layer bench: ${EVENTS} SSE events per answer, load from a second process`);
console.log('layer       conc  requests  req/s   first-chunk p50  p99   errors');
for (const concurrency of [1, 50]) {
  for (const [name, start] of Object.entries(layers)) {
    const server = await start();
    const plan = {
      url: server.url,
      path: '/v1/chat/completions',
      body,
      concurrency,
      maxMs: 20_000,
    };
    await loadFromSecondProcess({ ...plan, count: 200 });
    const result = await loadFromSecondProcess({ ...plan, count: 3000 });
    await server.close();
    const rps = (result.done / result.elapsedMs) * 1000;
    console.log(
      `${name.padEnd(11)} ${String(concurrency).padStart(4)}  ${String(result.done).padStart(8)}  ${rps.toFixed(0).padStart(5)}   ${quantile(result.firstChunkMs, 0.5).toFixed(2).padStart(6)} ms  ${quantile(result.firstChunkMs, 0.99).toFixed(2).padStart(6)} ms  ${result.errors}`,
    );
  }
}
