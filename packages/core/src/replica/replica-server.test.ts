import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequest } from '../http/http-request.js';
import { createReplicaServer, type ReplicaServer } from './replica-server.js';

let replica: ReplicaServer;
beforeAll(async () => {
  replica = await createReplicaServer({
    routes: {
      'POST /echo': (req, ctx) => ({
        status: 201,
        statusText: 'Made',
        headers: { 'x-call': String(ctx.callIndex) },
        body: `${req.method} ${req.text}`,
      }),
      'GET /abc': () => ({ body: 'abcdefghij' }),
      'POST /json': (req) => ({ json: { got: req.json, n: 1 } }),
      'GET /files/*': (req) => ({ body: `file ${req.path}` }),
    },
  });
});
afterAll(() => replica.close());

async function pieces(url: string): Promise<string[]> {
  const response = await httpRequest(url);
  const out: string[] = [];
  for await (const chunk of response.body) out.push(Buffer.from(chunk).toString());
  return out;
}

describe('replica server', () => {
  it('answers routes, counts calls and records requests', async () => {
    for (const expected of ['0', '1']) {
      const response = await httpRequest(`${replica.url}/echo?q=1`, {
        method: 'POST',
        body: 'hello',
        headers: { 'X-Custom': 'v' },
      });
      expect(response.status).toBe(201);
      expect(response.headers['x-call']).toBe(expected);
      expect(await response.text()).toBe('POST hello');
    }
    const call = replica.callsTo('POST /echo').at(-1)!;
    expect(call).toMatchObject({
      method: 'POST',
      path: '/echo',
      text: 'hello',
      finished: true,
      closedEarly: false,
    });
    expect(call.url.searchParams.get('q')).toBe('1');
    expect(call.headers['x-custom']).toBe('v');
    expect(call.rawHeaderNames).toContain('X-Custom');
  });

  it('reads and writes JSON for the handler', async () => {
    const sent = await httpRequest(`${replica.url}/json`, { body: '{"a":[1,"é"]}' });
    expect(sent.headers['content-type']).toBe('application/json');
    expect(await sent.json()).toEqual({ got: { a: [1, 'é'] }, n: 1 });
    const bad = await httpRequest(`${replica.url}/json`, { body: 'not json' });
    expect(await bad.json()).toEqual({ n: 1 });
    expect(replica.callsTo('POST /json').map((c) => c.json)).toEqual([{ a: [1, 'é'] }, undefined]);
  });

  it('matches a route ending in * by prefix', async () => {
    expect((await pieces(`${replica.url}/files/a/b.png`)).join('')).toBe('file /files/a/b.png');
    expect(replica.calls.at(-1)!.route).toBe('GET /files/*');
  });

  it('answers 404 for unknown routes and records them as unmatched', async () => {
    const response = await httpRequest(`${replica.url}/nowhere`);
    expect(response.status).toBe(404);
    await response.cancel();
    expect(replica.calls.at(-1)!.route).toBe('unmatched');
  });

  it('re-chunks a body into the given sizes', async () => {
    replica.fail('GET /abc', { kind: 'chunks', sizes: [1, 3], delayMs: 15 }, { times: 1 });
    expect(await pieces(`${replica.url}/abc`)).toEqual(['a', 'bcd', 'e', 'fgh', 'i', 'j']);
  });

  it('applies a fault only as many times as asked', async () => {
    replica.fail('GET /abc', { kind: 'status', status: 418, body: 'teapot' }, { times: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await httpRequest(`${replica.url}/abc`);
      statuses.push(response.status);
      await response.text();
    }
    expect(statuses).toEqual([418, 418, 200]);
  });

  it('lets `skip` requests through before a fault applies', async () => {
    replica.fail('GET /abc', { kind: 'status', status: 503 }, { skip: 2, times: 1 });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const response = await httpRequest(`${replica.url}/abc`);
      statuses.push(response.status);
      await response.cancel();
    }
    expect(statuses).toEqual([200, 200, 503, 200]);
  });

  it('applies queued answer-replacing faults one request at a time, in order', async () => {
    replica.fail('GET /abc', { kind: 'status', status: 429, body: 'a' }, { times: 1 });
    replica.fail('GET /abc', { kind: 'status', status: 503, body: 'b' }, { times: 1 });
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await httpRequest(`${replica.url}/abc`);
      seen.push(`${response.status} ${await response.text()}`);
    }
    expect(seen).toEqual(['429 a', '503 b', '200 abcdefghij']);
  });

  it('combines a delay with the fault queued after it', async () => {
    replica.fail('GET /abc', { kind: 'delay', ms: 50 }, { times: 1 });
    replica.fail('GET /abc', { kind: 'status', status: 418, body: 'tea' }, { times: 1 });
    const started = performance.now();
    const response = await httpRequest(`${replica.url}/abc`);
    expect(response.status).toBe(418);
    await response.text();
    expect(performance.now() - started).toBeGreaterThanOrEqual(40);
  });

  it('delays the first byte', async () => {
    replica.fail('GET /abc', { kind: 'delay', ms: 120 }, { times: 1 });
    const started = performance.now();
    expect((await pieces(`${replica.url}/abc`)).join('')).toBe('abcdefghij');
    expect(performance.now() - started).toBeGreaterThanOrEqual(100);
  });

  it('resets the connection without an answer', async () => {
    replica.fail('GET /abc', { kind: 'reset' }, { times: 1 });
    await expect(httpRequest(`${replica.url}/abc`)).rejects.toMatchObject({ name: 'NetworkError' });
  });
});
