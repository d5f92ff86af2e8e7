import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloudflareError, EmptyAnswerError, ResponseStatusError } from '../errors/index.js';
import { createReplicaServer, type ReplicaServer } from '../replica/replica-server.js';
import { httpRequest } from './http-request.js';
import { readTextAnswer } from './text-answer.js';

const ANSWER = 'Grüße, 世界 👋';
let replica: ReplicaServer;

beforeAll(async () => {
  replica = await createReplicaServer({
    routes: {
      'GET /answer': () => ({ headers: { 'content-type': 'text/plain' }, body: ANSWER }),
    },
  });
});
afterAll(() => replica.close());

/** What `readTextAnswer` gave before it ended, and how it ended. */
async function read(): Promise<{ text: string; error: unknown }> {
  const response = await httpRequest(`${replica.url}/answer`);
  let text = '';
  try {
    for await (const piece of readTextAnswer(response, 'Tester')) text += piece;
  } catch (error) {
    return { text, error };
  }
  return { text, error: undefined };
}

describe('readTextAnswer', () => {
  it('yields the body as text, also when every write splits a character', async () => {
    expect(await read()).toEqual({ text: ANSWER, error: undefined });
    replica.fail('GET /answer', { kind: 'chunks', sizes: [1] }, { times: 1 });
    expect(await read()).toEqual({ text: ANSWER, error: undefined });
  });

  it('raises EmptyAnswerError for an empty body, naming the provider and the status', async () => {
    replica.fail('GET /answer', { kind: 'status', status: 200, body: '' }, { times: 1 });
    const { text, error } = await read();
    expect(text).toBe('');
    expect(EmptyAnswerError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/^Tester answered 200 with no text/);
  });

  it('raises EmptyAnswerError after a body of white space, having given it', async () => {
    replica.fail('GET /answer', { kind: 'status', status: 200, body: ' \n\t ' }, { times: 1 });
    const { text, error } = await read();
    expect(text).toBe(' \n\t ');
    expect(EmptyAnswerError.isInstance(error)).toBe(true);
  });

  it('lets a single visible character through as an answer', async () => {
    replica.fail('GET /answer', { kind: 'status', status: 200, body: ' . ' }, { times: 1 });
    expect(await read()).toEqual({ text: ' . ', error: undefined });
  });

  it('refuses an error status and an HTML page before reading any text', async () => {
    replica.fail('GET /answer', { kind: 'status', status: 500, body: 'down' }, { times: 1 });
    const failed = await read();
    expect(ResponseStatusError.isInstance(failed.error) && failed.error.status).toBe(500);
    expect(failed.text).toBe('');
    replica.fail('GET /answer', { kind: 'cloudflare', status: 200 }, { times: 1 });
    const challenged = await read();
    expect(CloudflareError.isInstance(challenged.error)).toBe(true);
    expect(challenged.text).toBe('');
  });
});
