import {
  collectChunks,
  EmptyAnswerError,
  ImageResponse,
  RateLimitError,
  StreamParseError,
  UnexpectedResponseError,
} from '@g4f/core';
import { failureOf } from '@g4f/testing';
import { afterAll, afterEach, assert, beforeAll, describe, expect, it } from 'vitest';
import { Websim } from './websim.js';
import {
  createWebsimReplica,
  WEBSIM_CHAT_ROUTE,
  WEBSIM_IMAGE_ROUTE,
  type WebsimReplica,
} from './websim-replica.js';

// Edges of the chat and image answers that the main test leaves open, each against a body
// the replica is told to send.
const messages = [{ role: 'user' as const, content: 'Hi' }];
let replica: WebsimReplica;
beforeAll(async () => {
  replica = await createWebsimReplica();
});
afterEach(() => replica.clearFaults());
afterAll(() => replica.close());

const provider = (baseUrl = replica.url) =>
  new Websim({ baseUrl, sleep: async () => undefined, maxAttempts: 1 });
const chat = () => collectChunks(provider().createAsyncGenerator({ messages }));
const image = () =>
  collectChunks(provider().createAsyncGenerator({ messages, model: 'flux', prompt: 'a cat' }));

function answer(route: string, body: string, status = 200, contentType = 'application/json') {
  replica.fail(route, { kind: 'status', status, body, contentType }, { times: 1 });
}

describe('Websim chat answers', () => {
  it.each<[string, string, string]>([
    ['"hi"', 'text/plain', 'Websim answered JSON that is not an object: "hi"'],
    ['null', 'text/plain', 'Websim answered JSON that is not an object: null'],
    ['[1]', 'text/plain', 'Websim answered JSON that is not an object: [1]'],
    ['{"content":5}', 'application/json', 'Websim answered a non-text content: 5'],
    ['{"error":"boom"}', 'application/json', 'Websim answered an error with 200: boom'],
    ['{"error":{"message":"deep"}}', 'application/json', 'Websim answered an error with 200: deep'],
    ['{"error":{"code":1}}', 'application/json', 'Websim answered an error with 200: {"code":1}'],
  ])('refuses %s (%s)', async (body, type, message) => {
    answer(WEBSIM_CHAT_ROUTE, body, 200, type);
    const error = await failureOf(chat());
    assert(UnexpectedResponseError.isInstance(error));
    expect(error.message).toBe(message);
  });

  it('cuts a long non-object JSON to 100 characters in the message', async () => {
    const long = JSON.stringify('s'.repeat(300));
    answer(WEBSIM_CHAT_ROUTE, long, 200, 'text/plain');
    expect(await failureOf(chat())).toHaveProperty(
      'message',
      `Websim answered JSON that is not an object: ${long.slice(0, 100)}`,
    );
  });

  it.each<[string, string]>([
    ['  ', 'Websim answered 200 with an empty body'],
    ['{"content":"  "}', 'Websim answered 200 with blank content'],
    ['{"content":null,"error":null}', 'Websim answered a non-text content: null'],
    [
      `{"other":"${'o'.repeat(200)}"}`,
      `Websim answered 200 with no content (${`{"other":"${'o'.repeat(200)}"}`.slice(0, 100)})`,
    ],
  ])('reports %s', async (body, message) => {
    answer(WEBSIM_CHAT_ROUTE, body);
    const error = await failureOf(chat());
    expect(error).toHaveProperty('message', message);
  });

  it('reports a cut JSON answer with its first 200 characters', async () => {
    const cut = `{"content":"${'c'.repeat(300)}`;
    answer(WEBSIM_CHAT_ROUTE, cut);
    const error = await failureOf(chat());
    assert(StreamParseError.isInstance(error));
    expect(error.kind).toBe('invalid-json');
    expect(error.message).toBe(
      `Expected JSON from ${replica.url}${WEBSIM_CHAT_ROUTE.slice(5)}, got: ${cut.slice(0, 200)}`,
    );
  });

  it('keeps 500 characters of a rate-limit body', async () => {
    const body = JSON.stringify({ error: 'Rate limit exceeded', pad: 'p'.repeat(600) });
    answer(WEBSIM_CHAT_ROUTE, body);
    const error = await failureOf(chat());
    assert(RateLimitError.isInstance(error));
    expect(error.bodyExcerpt).toBe(body.slice(0, 500));
    expect(error.message).toBe('Response 200: Rate limit exceeded');
  });

  it('sends the referer without trailing slashes and accepts anything', async () => {
    await collectChunks(provider(`${replica.url}//`).createAsyncGenerator({ messages }));
    const call = replica.callsTo(WEBSIM_CHAT_ROUTE).at(-1)!;
    expect(call.headers.referer).toBe(
      `${replica.url}/@ISWEARIAMNOTADDICTEDTOPILLOW/zelos-ai-assistant`,
    );
    expect(call.headers.accept).toBe('*/*');
  });

  it('reads a 400 as the error it is, not as an answer', async () => {
    answer(WEBSIM_CHAT_ROUTE, '{"content":"not an answer"}', 400);
    const error = await failureOf(chat());
    expect(error).toHaveProperty('status', 400);
    // A 400 that says it is a rate limit is retried as one.
    answer(WEBSIM_CHAT_ROUTE, '{"error":"Rate limit exceeded"}', 400);
    assert(RateLimitError.isInstance(await failureOf(chat())));
  });
});

describe('Websim image answers', () => {
  it.each<[string, string]>([
    [' \n', 'Websim answered 200 with an empty body'],
    ['"hi"', 'Websim answered 200 with no image URL ("hi")'],
    ['null', 'Websim answered 200 with no image URL (null)'],
    ['{"url":5}', 'Websim answered 200 with no image URL ({"url":5})'],
    [
      `{"url":"","pad":"${'p'.repeat(200)}"}`,
      `Websim answered 200 with no image URL (${`{"url":"","pad":"${'p'.repeat(200)}"}`.slice(0, 100)})`,
    ],
  ])('reports %j as an empty answer', async (body, message) => {
    answer(WEBSIM_IMAGE_ROUTE, body);
    const error = await failureOf(image());
    assert(EmptyAnswerError.isInstance(error));
    expect(error.message).toBe(message);
  });

  it('reports an error object as that error, and yields a given URL', async () => {
    answer(WEBSIM_IMAGE_ROUTE, '{"error":"no"}');
    expect(await failureOf(image())).toHaveProperty(
      'message',
      'Websim answered an error with 200: no',
    );
    answer(WEBSIM_IMAGE_ROUTE, '{"url":"http://img/1.png"}');
    expect(await image()).toEqual([new ImageResponse(['http://img/1.png'], 'a cat')]);
  });
});

describe('Websim project ids', () => {
  it('makes a chat id by default, an image id when asked', () => {
    expect(Websim.generateProjectId()).toMatch(/^[a-z0-9]{3}_[a-z0-9]{15}$/);
    expect(Websim.generateProjectId(true)).toMatch(/^[a-z0-9]{7}_[a-z0-9]{12}$/);
  });
});
