import {
  collectChunks,
  EmptyAnswerError,
  RequestTimeoutError,
  UnexpectedResponseError,
} from '@g4f/core';
import { failureOf } from '@g4f/testing';
import { afterAll, afterEach, assert, beforeAll, describe, expect, it } from 'vitest';
import { ChatgptFree } from './chatgptfree.js';
import {
  CHATGPTFREE_PAGE_ROUTE,
  CHATGPTFREE_ROUTE,
  type ChatgptFreeReplica,
  createChatgptFreeReplica,
} from './chatgptfree-replica.js';

// Edges of the answer parser and the page load that the main test leaves open, each against
// a body the replica is told to send.
const messages = [{ role: 'user' as const, content: 'Hi' }];
let replica: ChatgptFreeReplica;
beforeAll(async () => {
  replica = await createChatgptFreeReplica();
});
afterEach(() => {
  replica.clearFaults();
  replica.state.page = 'normal';
});
afterAll(() => replica.close());

const provider = () => new ChatgptFree({ baseUrl: replica.url });
const ask = (p = provider(), extra = {}) =>
  collectChunks(p.createAsyncGenerator({ messages, ...extra }));

function answerWith(body: string, status = 200, times = 1): void {
  replica.fail(
    CHATGPTFREE_ROUTE,
    { kind: 'status', status, body, contentType: 'text/plain' },
    { times },
  );
}

const delta = (content: string) => `data: {"choices":[{"delta":{"content":"${content}"}}]}`;

describe('ChatgptFree answers', () => {
  it.each([
    ['data: {"error":"boom"}', 'ChatgptFree stream error: boom'],
    ['data: {"error":null}', 'ChatgptFree stream error: '],
    ['data: null', 'ChatgptFree sent a data line without choices[0].delta: null'],
    [
      'data: {"choices":[]}',
      'ChatgptFree sent a data line without choices[0].delta: {"choices":[]}',
    ],
    [
      'data: {"choices":[{"delta":"x"}]}',
      'ChatgptFree sent a data line without choices[0].delta: {"choices":[{"delta":"x"}]}',
    ],
    ['{"status":"error","msg":"bad"}', 'ChatgptFree error: bad'],
    ['{"status":"error"}', 'ChatgptFree error: '],
  ])('refuses %s as an unexpected answer', async (body, message) => {
    answerWith(body);
    const error = await failureOf(ask());
    assert(UnexpectedResponseError.isInstance(error));
    expect(error.message).toBe(message);
  });

  it('cuts a long line without delta to 200 characters in the message', async () => {
    answerWith(`data: {"x":"${'a'.repeat(300)}"}`);
    const error = await failureOf(ask());
    expect(error).toHaveProperty(
      'message',
      `ChatgptFree sent a data line without choices[0].delta: ${`{"x":"${'a'.repeat(300)}"}`.slice(0, 200)}`,
    );
  });

  it.each([
    ['{"data":""}', 'ChatgptFree answered an empty data'],
    ['{"data":null}', 'ChatgptFree answered an empty data'],
    ['data: [DONE]', 'ChatgptFree answered without any content'],
    ['{"status":"ok"}', 'ChatgptFree answered without any content'],
    ['"hello"', 'ChatgptFree answered without any content'],
    ['null', 'ChatgptFree answered without any content'],
  ])('reports %s as an empty answer', async (body, message) => {
    answerWith(body);
    const error = await failureOf(ask());
    assert(EmptyAnswerError.isInstance(error));
    expect(error.message).toBe(message);
  });

  it('completes with the data lines before an empty JSON data', async () => {
    answerWith(`${delta('hi')}\n{"data":""}`);
    expect(await ask()).toEqual(['hi']);
  });

  it('ignores a line that is neither data nor JSON around a terminated stream', async () => {
    answerWith(`garbage\n${delta('ok')}\ndata: [DONE]  \n`);
    expect(await ask()).toEqual(['ok']);
  });

  it('names at most 200 characters of an answer that is neither data lines nor JSON', async () => {
    answerWith('z'.repeat(300));
    const error = await failureOf(ask());
    assert(UnexpectedResponseError.isInstance(error));
    expect(error.message).toBe(
      `ChatgptFree answered neither data lines nor JSON: ${'z'.repeat(200)}`,
    );
  });

  it('reloads the page after -1 with a 400 or with spaces', async () => {
    for (const [status, body] of [
      [400, '-1'],
      [403, ' -1\n'],
    ] as const) {
      const before = replica.pageLoads();
      answerWith(body, status);
      expect((await ask()).join('')).toBe(replica.state.answer);
      expect(replica.pageLoads() - before).toBe(2);
    }
  });
});

describe('ChatgptFree page load', () => {
  it('uses an empty nonce for one call only, even when it is accepted', async () => {
    replica.state.page = 'empty-nonce';
    const p = provider();
    const before = replica.pageLoads();
    answerWith(`${delta('one')}\ndata: [DONE]`, 200, 2);
    expect(await ask(p)).toEqual(['one']);
    expect(await ask(p)).toEqual(['one']);
    expect(replica.pageLoads() - before).toBe(2);
  });

  it('sends the browser headers and the origin without trailing slashes', async () => {
    await ask(new ChatgptFree({ baseUrl: `${replica.url}//` }));
    const call = replica.callsTo(CHATGPTFREE_ROUTE).at(-1)!;
    expect(new URLSearchParams(call.text).get('url')).toBe(replica.url);
    expect(call.headers).toMatchObject({
      accept: '*/*',
      'accept-language':
        'en,fr-FR;q=0.9,fr;q=0.8,es-ES;q=0.7,es;q=0.6,en-US;q=0.5,am;q=0.4,de;q=0.3',
      'sec-ch-ua': '"Chromium";v="118", "Google Chrome";v="118", "Not=A?Brand";v="99"',
      'sec-ch-ua-mobile': '?0',
      'sec-ch-ua-platform': '"macOS"',
      'sec-fetch-dest': 'empty',
      'sec-fetch-mode': 'cors',
      'sec-fetch-site': 'same-origin',
    });
  });

  it('names the page load in its timeout, and stops loading when its only caller leaves', async () => {
    replica.fail(CHATGPTFREE_PAGE_ROUTE, { kind: 'hang' }, { times: 1 });
    const before = replica.pageLoads();
    const error = await failureOf(ask(provider(), { timeout: 50 }));
    assert(RequestTimeoutError.isInstance(error));
    expect(error.message).toBe('The ChatgptFree page load took longer than 50 ms');
    await replica.waitFor(() => replica.pageLoads() > before);
    const load = replica.callsTo(CHATGPTFREE_PAGE_ROUTE).at(-1)!;
    await replica.waitFor(() => load.closedEarly);
  });
});
