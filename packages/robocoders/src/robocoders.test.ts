import { execFile } from 'node:child_process';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  CloudflareError,
  collectChunks,
  createMemoryStore,
  joinText,
  MissingAuthError,
  NetworkError,
  RateLimitError,
  RequestTimeoutError,
  ResponseStatusError,
  UnexpectedResponseError,
} from '@g4f/core';
import type { ReplicaFault } from '@g4f/core/replica';
import { chunksBeforeFailure, failureOf, runProviderConformance } from '@g4f/testing';
import { afterAll, afterEach, assert, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RobocodersAPI, robocoders } from './robocoders.js';
import {
  createRobocodersReplica,
  ROBOCODERS_AUTH_ROUTE,
  ROBOCODERS_CHAT_ROUTE,
  ROBOCODERS_SESSION_ROUTE,
  type RobocodersReplica,
} from './robocoders-replica.js';

runProviderConformance('RobocodersAPI', {
  route: ROBOCODERS_CHAT_ROUTE,
  startReplica: () => createRobocodersReplica({ chunkDelayMs: 0 }),
  createProvider: (baseUrl) => new RobocodersAPI({ baseUrl, store: createMemoryStore() }),
  cutAfterBytes: 150,
  sharedStepRoute: ROBOCODERS_AUTH_ROUTE,
  answer: 'Here is the plan: écrire ✍️ code.',
  expected: {
    label: 'API Robocoders AI',
    defaultModel: 'GeneralCodingAgent',
    unknownModel: 'gpt-4',
  },
});

const messages = [
  { role: 'user' as const, content: 'Write a function' },
  { role: 'assistant' as const, content: 'Which language?' },
  { role: 'user' as const, content: 'TypeScript' },
];
const fullAnswer = 'Here is the plan: écrire ✍️ code.';

describe('RobocodersAPI against its replica', () => {
  let replica: RobocodersReplica;
  let cacheDir: string;
  let provider: RobocodersAPI;
  const ask = (p = provider, model?: string) =>
    collectChunks(p.createAsyncGenerator({ messages, model }));

  beforeAll(async () => {
    replica = await createRobocodersReplica();
  });
  beforeEach(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), 'g4f-robocoders-'));
    provider = new RobocodersAPI({ baseUrl: replica.url, cacheDir });
    Object.assign(replica.state, {
      waitForResponse: false,
      badLines: false,
      authWithoutToken: false,
    });
  });
  afterEach(() => replica.clearFaults());
  afterAll(() => replica.close());

  it('has g4f metadata', () => {
    expect(robocoders.name).toBe('RobocodersAPI');
    expect(robocoders.label).toBe('API Robocoders AI');
    expect(robocoders.url).toBe('https://api.robocoders.ai/docs');
    expect(robocoders.models).toEqual(['GeneralCodingAgent', 'RepoAgent', 'FrontEndAgent']);
    expect(robocoders.agent).toEqual(robocoders.models);
    expect(robocoders.supportsMessageHistory).toBe(true);
    expect(robocoders.working).toBe(false);
  });

  it('authenticates, creates a session and chats with the requests g4f sent', async () => {
    const before = replica.calls.length;
    expect(joinText(await ask(provider, 'RepoAgent'))).toBe(fullAnswer);
    const [auth, session, chat] = replica.calls.slice(before);
    expect(auth).toMatchObject({ method: 'GET', path: '/auth' });
    expect(auth!.headers.accept).toMatch(/^text\/html,application\/xhtml\+xml/);
    expect(auth!.headers['user-agent']).toContain('Chrome/131.0.0.0');
    expect(auth!.headers.authorization).toBeUndefined();
    expect(session).toMatchObject({ method: 'GET', path: '/create-session' });
    const token = session!.headers.authorization!.slice('Bearer '.length);
    expect(token).toMatch(/^[0-9a-f]{24}$/);
    expect(chat).toMatchObject({ method: 'POST', path: '/chat' });
    expect(chat!.headers.authorization).toBe(`Bearer ${token}`);
    expect(chat!.headers['content-type']).toBe('application/json');
    const body = chat!.json as { sid: string; prompt: string; agent: string };
    expect(Object.keys(body)).toEqual(['sid', 'prompt', 'agent']);
    expect(body.prompt).toBe(
      'User: Write a function\nAssistant: Which language?\nUser: TypeScript\nAssistant:',
    );
    expect(body.agent).toBe('RepoAgent');
    const cached = JSON.parse(await readFile(join(cacheDir, 'robocoders.json'), 'utf8'));
    expect(cached).toEqual({ access_token: token, sid: body.sid });
    expect((await stat(join(cacheDir, 'robocoders.json'))).mode & 0o777).toBe(0o600);
  });

  it('sends the default agent when no model is named', async () => {
    await ask();
    expect(replica.callsTo(ROBOCODERS_CHAT_ROUTE).at(-1)!.json).toMatchObject({
      agent: 'GeneralCodingAgent',
    });
  });

  it('reuses cached credentials without authenticating again, across instances', async () => {
    await ask();
    const tokens = replica.tokensIssued();
    await ask();
    await ask(new RobocodersAPI({ baseUrl: replica.url, cacheDir }));
    expect(replica.tokensIssued()).toBe(tokens);
  });

  it('on a 401 clears the cache, authenticates once more and retries once', async () => {
    await ask();
    replica.revokeAll();
    const tokens = replica.tokensIssued();
    expect(joinText(await ask())).toBe(fullAnswer);
    expect(replica.tokensIssued()).toBe(tokens + 1);
  });

  it('ends a 401 that survives re-authentication in MissingAuthError, cache cleared', async () => {
    replica.fail(ROBOCODERS_CHAT_ROUTE, {
      kind: 'status',
      status: 401,
      body: '{"detail":"Unauthorized"}',
    });
    const error = await failureOf(ask());
    assert(MissingAuthError.isInstance(error));
    expect(error.message).toBe('Unauthorized: Invalid token, please retry.');
    expect(replica.callsTo(ROBOCODERS_AUTH_ROUTE).length).toBeGreaterThanOrEqual(2);
    expect(await provider.getCachedData()).toBeUndefined();
  });

  it("raises a validation error with the service's message on 422", async () => {
    replica.fail(ROBOCODERS_CHAT_ROUTE, {
      kind: 'status',
      status: 422,
      contentType: 'application/json',
      body: '{"detail":[{"loc":["body","sid"],"msg":"field required","type":"value_error.missing"}]}',
    });
    const error = await failureOf(ask());
    assert(ResponseStatusError.isInstance(error));
    expect(error.status).toBe(422);
    expect(error.message).toBe('Validation Error: Invalid input. body.sid: field required');
  });

  it("keeps g4f's messages for 5xx and unexpected statuses, and a RateLimitError for 429", async () => {
    replica.fail(
      ROBOCODERS_CHAT_ROUTE,
      { kind: 'status', status: 503, body: 'down' },
      { times: 1 },
    );
    expect(await failureOf(ask())).toHaveProperty('message', 'Server Error: 503');
    replica.fail(ROBOCODERS_CHAT_ROUTE, { kind: 'status', status: 201, body: '' }, { times: 1 });
    const created = await failureOf(ask());
    expect(created).toHaveProperty('message', 'Unexpected Error: 201');
    replica.fail(
      ROBOCODERS_CHAT_ROUTE,
      { kind: 'status', status: 429, body: 'slow', headers: { 'retry-after': '2' } },
      { times: 1 },
    );
    const limited = await failureOf(ask());
    assert(RateLimitError.isInstance(limited));
    expect(limited.retryAfterMs).toBe(2000);
  });

  it('follows one level of wait_for_response with a "continue" request', async () => {
    replica.state.waitForResponse = true;
    expect(joinText(await ask())).toBe(`${fullAnswer} Continuing after wait. (nested wait)`);
    const [original, next] = replica.callsTo(ROBOCODERS_CHAT_ROUTE).slice(-2);
    const originalBody = original!.json as { sid: string };
    expect(next!.json).toEqual({
      sid: originalBody.sid,
      prompt: 'continue',
      agent: 'GeneralCodingAgent',
    });
    expect(next!.headers.authorization).toBe(original!.headers.authorization);
  });

  describe('a failing "continue" request: the text so far, then the error', () => {
    const cases: [string, ReplicaFault, (error: unknown) => boolean][] = [
      ['cut', { kind: 'cut', afterBytes: 30 }, (e) => NetworkError.isInstance(e)],
      ['reset', { kind: 'reset' }, (e) => NetworkError.isInstance(e)],
      ['stall', { kind: 'stall', afterBytes: 30 }, (e) => RequestTimeoutError.isInstance(e)],
      ['hang', { kind: 'hang' }, (e) => RequestTimeoutError.isInstance(e)],
      [
        '500',
        { kind: 'status', status: 500, body: 'no' },
        (e) => ResponseStatusError.isInstance(e) && e.status === 500,
      ],
      [
        '429',
        { kind: 'status', status: 429, body: 'slow', headers: { 'retry-after': '3' } },
        (e) => RateLimitError.isInstance(e) && e.retryAfterMs === 3000,
      ],
    ];
    for (const [name, fault, expected] of cases) {
      it(`raises a ${name} continuation after the first answer`, async () => {
        replica.state.waitForResponse = true;
        await ask(); // credentials cached: the next calls to /chat are the answer, then continue
        replica.fail(ROBOCODERS_CHAT_ROUTE, fault, { skip: 1, times: 1 });
        const { chunks, error } = await chunksBeforeFailure(
          provider.createAsyncGenerator({ messages, timeout: 300 }),
        );
        expect(expected(error)).toBe(true);
        const text = joinText(chunks);
        expect(text.startsWith(fullAnswer)).toBe(true);
        expect(`${fullAnswer} Continuing after wait. (nested wait)`.startsWith(text)).toBe(true);
        const [, continued] = replica.callsTo(ROBOCODERS_CHAT_ROUTE).slice(-2);
        expect(continued!.json).toMatchObject({ prompt: 'continue' });
      });
    }
  });

  it('treats cached credentials of the wrong type as empty and logs in again', async () => {
    for (const cached of [
      { access_token: 5, sid: 'abc' },
      { access_token: 'tok', sid: { id: 1 } },
      { access_token: '', sid: '' },
    ]) {
      await writeFile(join(cacheDir, 'robocoders.json'), JSON.stringify(cached));
      const tokens = replica.tokensIssued();
      const chats = replica.callsTo(ROBOCODERS_CHAT_ROUTE).length;
      expect(joinText(await ask())).toBe(fullAnswer);
      expect(replica.tokensIssued()).toBe(tokens + 1);
      // The bad values were never sent: one chat request, with the fresh token.
      expect(replica.callsTo(ROBOCODERS_CHAT_ROUTE).length).toBe(chats + 1);
      const sent = replica.callsTo(ROBOCODERS_CHAT_ROUTE).at(-1)!;
      expect(sent.headers.authorization).toMatch(/^Bearer [0-9a-f]{24}$/);
    }
  });

  it('maps a challenge page served with 200 on /auth or /create-session to CloudflareError', async () => {
    replica.fail(ROBOCODERS_AUTH_ROUTE, { kind: 'cloudflare', status: 200 }, { times: 1 });
    const auth = await failureOf(ask());
    assert(CloudflareError.isInstance(auth));
    expect(auth.status).toBe(200);
    replica.fail(ROBOCODERS_SESSION_ROUTE, { kind: 'cloudflare', status: 200 }, { times: 1 });
    assert(CloudflareError.isInstance(await failureOf(ask())));
  });

  it('follows a same-origin redirect of the /auth page, as a browser would, but not of /create-session', async () => {
    replica.fail(
      ROBOCODERS_AUTH_ROUTE,
      { kind: 'status', status: 302, headers: { location: '/auth?from=login' } },
      { times: 1 },
    );
    expect(joinText(await ask())).toBe(fullAnswer);
    expect(replica.callsTo(ROBOCODERS_AUTH_ROUTE).at(-1)!.url.search).toBe('?from=login');
    await provider.clearCachedData();
    replica.fail(
      ROBOCODERS_SESSION_ROUTE,
      { kind: 'status', status: 307, headers: { location: '/login' } },
      { times: 1 },
    );
    const error = await failureOf(ask());
    assert(ResponseStatusError.isInstance(error));
    expect(error.status).toBe(307);
    expect(error.message).toContain('/login');
  });

  it('skips bad lines and emits top-level messages as g4f did', async () => {
    replica.state.badLines = true;
    expect(joinText(await ask())).toBe(`${fullAnswer} [state changed]`);
  });

  it('refuses an HTML page instead of an answer', async () => {
    replica.fail(ROBOCODERS_CHAT_ROUTE, { kind: 'cloudflare', status: 200 });
    expect(CloudflareError.isInstance(await failureOf(ask()))).toBe(true);
  });

  it('says clearly when the auth page has no token, and maps an auth 500', async () => {
    replica.state.authWithoutToken = true;
    const error = await failureOf(ask());
    assert(UnexpectedResponseError.isInstance(error));
    expect(error.message).toMatch(/^No access token: .*\/auth has no <pre id="token">$/);
    replica.state.authWithoutToken = false;
    replica.fail(
      ROBOCODERS_AUTH_ROUTE,
      { kind: 'status', status: 500, body: 'oops' },
      { times: 1 },
    );
    const status = await failureOf(ask());
    expect(status).toHaveProperty('status', 500);
  });

  it('maps session failures: 401 clears the cache, 422, 500, and an HTML 200', async () => {
    replica.fail(
      ROBOCODERS_SESSION_ROUTE,
      { kind: 'status', status: 401, body: '{}' },
      { times: 1 },
    );
    const unauthorized = await failureOf(ask());
    assert(MissingAuthError.isInstance(unauthorized));
    expect(unauthorized.message).toBe('Unauthorized: Invalid token during session creation.');
    expect(await provider.getCachedData()).toBeUndefined();
    replica.fail(
      ROBOCODERS_SESSION_ROUTE,
      {
        kind: 'status',
        status: 422,
        body: '{"detail":"bad header"}',
        contentType: 'application/json',
      },
      { times: 1 },
    );
    expect(await failureOf(ask())).toHaveProperty(
      'message',
      'Validation Error: Check input parameters. bad header',
    );
    replica.fail(
      ROBOCODERS_SESSION_ROUTE,
      { kind: 'status', status: 500, body: 'x' },
      { times: 1 },
    );
    expect(await failureOf(ask())).toHaveProperty('status', 500);
    replica.fail(
      ROBOCODERS_SESSION_ROUTE,
      { kind: 'status', status: 200, body: '<html></html>', contentType: 'text/html' },
      { times: 1 },
    );
    const html = await failureOf(ask());
    assert(UnexpectedResponseError.isInstance(html));
    expect(html.message).toMatch(/^Failed to initialize API interaction/);
  });

  it('treats a corrupt cache file as empty and repairs it', async () => {
    await writeFile(join(cacheDir, 'robocoders.json'), '{"access_token": "tru');
    expect(joinText(await ask())).toBe(fullAnswer);
    const cached = JSON.parse(await readFile(join(cacheDir, 'robocoders.json'), 'utf8'));
    expect(Object.keys(cached).sort()).toEqual(['access_token', 'sid']);
  });

  it('keeps a valid, consistent cache when two processes make their first request at once', async () => {
    const child = fileURLToPath(new URL('./__fixtures__/first-request.ts', import.meta.url));
    const run = promisify(execFile);
    const outputs = await Promise.all(
      [0, 1].map(() => run(process.execPath, ['--import', 'tsx', child, replica.url, cacheDir])),
    );
    for (const { stdout } of outputs) expect(stdout).toBe(fullAnswer);
    const cached = JSON.parse(await readFile(join(cacheDir, 'robocoders.json'), 'utf8'));
    expect(typeof cached.access_token).toBe('string');
    expect(typeof cached.sid).toBe('string');
    const tokens = replica.tokensIssued();
    expect(joinText(await ask())).toBe(fullAnswer);
    expect(replica.tokensIssued()).toBe(tokens);
  }, 60_000);
});
