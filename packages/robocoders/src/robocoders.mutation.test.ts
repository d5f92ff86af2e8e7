import {
  collectChunks,
  createMemoryStore,
  MissingAuthError,
  RequestTimeoutError,
  ResponseStatusError,
  UnexpectedResponseError,
} from '@g4f/core';
import { createForwardProxy, failureOf } from '@g4f/testing';
import { afterAll, afterEach, assert, beforeAll, describe, expect, it } from 'vitest';
import { RobocodersAPI } from './robocoders.js';
import {
  createRobocodersReplica,
  ROBOCODERS_AUTH_ROUTE,
  ROBOCODERS_CHAT_ROUTE,
  ROBOCODERS_SESSION_ROUTE,
  type RobocodersReplica,
} from './robocoders-replica.js';

// Edges the main test leaves open: the login's cache checks, proxy and timeout, the session
// and chat answers the replica is told to send.
const messages = [{ role: 'user' as const, content: 'Hi' }];
let replica: RobocodersReplica;
beforeAll(async () => {
  replica = await createRobocodersReplica();
});
afterEach(() => replica.clearFaults());
afterAll(() => replica.close());

const provider = (store = createMemoryStore()) =>
  new RobocodersAPI({ baseUrl: replica.url, store });
const ask = (p = provider(), extra = {}) =>
  collectChunks(p.createAsyncGenerator({ messages, ...extra }));
const logins = () => replica.callsTo(ROBOCODERS_AUTH_ROUTE).length;

function answer(route: string, body: string, status = 200, contentType = 'application/json') {
  replica.fail(route, { kind: 'status', status, body, contentType }, { times: 1 });
}

describe('RobocodersAPI login', () => {
  it('talks to api.robocoders.ai by default', () => {
    class Probe extends RobocodersAPI {
      origin(): string {
        return this.baseUrl;
      }
    }
    expect(new Probe().origin()).toBe('https://api.robocoders.ai');
  });

  it.each([[{ access_token: '', sid: 's' }], [{ access_token: 't', sid: '' }]])(
    'logs in anew over a cached pair with an empty half %j',
    async (cached) => {
      const before = logins();
      const chats = replica.callsTo(ROBOCODERS_CHAT_ROUTE).length;
      expect((await ask(provider(createMemoryStore(cached)))).join('')).not.toBe('');
      expect(logins() - before).toBe(1);
      // The half-empty pair is never sent: the one chat request carries the new login.
      expect(replica.callsTo(ROBOCODERS_CHAT_ROUTE).length - chats).toBe(1);
    },
  );

  it("logs in through the call's proxy", async () => {
    const refusing = await createForwardProxy({ refuse: true });
    try {
      const before = logins();
      const error = await failureOf(ask(provider(), { proxy: refusing.url }));
      assert(MissingAuthError.isInstance(error));
      expect(logins()).toBe(before);
    } finally {
      await refusing.close();
    }
  });

  it('names the login in its timeout', async () => {
    replica.fail(ROBOCODERS_AUTH_ROUTE, { kind: 'hang' }, { times: 1 });
    const error = await failureOf(ask(provider(), { timeout: 50 }));
    assert(RequestTimeoutError.isInstance(error));
    expect(error.message).toBe(
      'The Robocoders login (/auth and /create-session) took longer than 50 ms',
    );
  });

  it.each(['{}', '{"sid":""}', '{"sid":5}', 'null'])(
    'refuses a session answer %s without a sid',
    async (body) => {
      answer(ROBOCODERS_SESSION_ROUTE, body);
      const error = await failureOf(ask());
      assert(UnexpectedResponseError.isInstance(error));
      expect(error.message).toBe(
        'Failed to initialize API interaction: /create-session returned no sid',
      );
    },
  );

  it('names the media type and the start of a session answer that is not JSON', async () => {
    answer(ROBOCODERS_SESSION_ROUTE, `hello ${'x'.repeat(200)}`, 200, 'text/plain');
    const error = await failureOf(ask());
    expect(error).toHaveProperty(
      'message',
      `Failed to initialize API interaction: /create-session answered text/plain, not JSON: ${`hello ${'x'.repeat(200)}`.slice(0, 100)}`,
    );
  });

  it.each<[string, string]>([
    ['{"detail":"bad sid"}', 'Validation Error: Check input parameters. bad sid'],
    [
      '{"detail":[{"loc":["body","sid"],"msg":"required"},{}]}',
      'Validation Error: Check input parameters. body.sid: required; : ',
    ],
    ['null', 'Validation Error: Check input parameters. null'],
    [`  ${'v'.repeat(300)}  `, `Validation Error: Check input parameters. ${'v'.repeat(200)}`],
  ])('reads the 422 body %s', async (body, message) => {
    answer(ROBOCODERS_SESSION_ROUTE, body, 422);
    const error = await failureOf(ask());
    assert(ResponseStatusError.isInstance(error));
    expect(error.message).toBe(message);
    expect(error.bodyExcerpt).toBe(body.slice(0, 500));
  });
});

describe('RobocodersAPI chat answers', () => {
  it.each<[number, string]>([
    [300, 'Response 300: redirected with no Location, not an answer'],
    [204, 'Response 204: no content where an answer was expected'],
    [205, 'Response 205: no content where an answer was expected'],
    [400, 'Unexpected Error: 400'],
    [499, 'Unexpected Error: 499'],
    [500, 'Server Error: 500'],
  ])('reports a %i chat answer as %j', async (status, message) => {
    answer(ROBOCODERS_CHAT_ROUTE, '', status, 'text/plain');
    const error = await failureOf(ask());
    assert(ResponseStatusError.isInstance(error));
    expect(error.message).toBe(message);
  });

  it('keeps 500 characters of a long error body', async () => {
    answer(ROBOCODERS_CHAT_ROUTE, 'e'.repeat(700), 500, 'text/plain');
    const error = await failureOf(ask());
    assert(ResponseStatusError.isInstance(error));
    expect(error.bodyExcerpt).toBe('e'.repeat(500));
  });

  it('skips empty texts, null lines and lines whose args are not an object', async () => {
    answer(
      ROBOCODERS_CHAT_ROUTE,
      [
        '{"args":{"content":""}}',
        'null',
        '{"args":5,"message":"scalar args"}',
        '{"args":{"content":"kept"}}',
        '{"action":"other","args":{"content":"!","wait_for_response":true}}',
      ].join('\n'),
    );
    const before = replica.callsTo(ROBOCODERS_CHAT_ROUTE).length;
    expect(await ask()).toEqual(['kept', '!']);
    // Only a "message" action asks for a continuation.
    expect(replica.callsTo(ROBOCODERS_CHAT_ROUTE).length - before).toBe(1);
  });
});
