import { afterAll, assert, beforeAll, describe, expect, it } from 'vitest';
import {
  CloudflareError,
  MissingAuthError,
  RateLimitError,
  RequestTimeoutError,
  ResponseStatusError,
} from '../errors/index.js';
import { createReplicaServer, type ReplicaServer } from '../replica/replica-server.js';
import { httpRequest } from './http-request.js';
import {
  isAnswerStatus,
  mediaType,
  publicHeaders,
  raiseForStatus,
  readExcerpt,
} from './raise-for-status.js';

// Each case answers one status, media type and body from a real server and checks the error
// raiseForStatus makes of it: class, message, fields.
interface Answer {
  status: number;
  type?: string;
  body?: string;
  headers?: Record<string, string>;
}
let next: Answer = { status: 500 };
let replica: ReplicaServer;
beforeAll(async () => {
  replica = await createReplicaServer({
    routes: {
      'GET /answer': () => ({
        status: next.status,
        headers: { ...(next.type ? { 'content-type': next.type } : {}), ...next.headers },
        body: next.body ?? '',
      }),
      'GET /large-error': () => ({
        status: 500,
        body: Array.from({ length: 64 }, () => 'e'.repeat(16 * 1024)),
        chunkDelayMs: 10,
      }),
      'GET /error-stall': () => ({
        status: 500,
        body: (async function* () {
          yield 'partial';
          await new Promise(() => undefined);
        })(),
      }),
    },
  });
});
afterAll(() => replica.close());

async function errorFor(answer: Answer): Promise<unknown> {
  next = answer;
  return raiseForStatus(await httpRequest(`${replica.url}/answer`)).then(
    () => expect.unreachable('no error'),
    (error: unknown) => error,
  );
}

async function messageFor(answer: Answer): Promise<string> {
  const error = await errorFor(answer);
  assert(error instanceof Error);
  return error.message;
}

const json = 'application/json';

describe('raiseForStatus messages', () => {
  it.each<[Answer, string]>([
    [{ status: 500, type: json, body: '{"error":{"message":"deep"}}' }, 'Response 500: deep'],
    [{ status: 500, type: json, body: '{"error":"e","message":"m"}' }, 'Response 500: e: m'],
    [{ status: 500, type: json, body: '{"error":"e","message":5}' }, 'Response 500: e'],
    [{ status: 500, type: json, body: '{"error":42,"message":"m"}' }, 'Response 500: m'],
    [{ status: 500, type: json, body: '{"message":"only"}' }, 'Response 500: only'],
    [{ status: 500, type: json, body: '{"message":5}' }, 'Response 500: {"message":5}'],
    [{ status: 500, type: json, body: ' null ' }, 'Response 500: null'],
    [{ status: 500, type: 'application/problem+json', body: '{"message":"p"}' }, 'Response 500: p'],
    [
      { status: 500, type: 'text/plain', body: '{"message":"raw"}' },
      'Response 500: {"message":"raw"}',
    ],
    [{ status: 500, type: 'text/plain', body: '  padded  ' }, 'Response 500: padded'],
    [
      { status: 500, type: 'text/plain', body: '<!DOCTYPE html><p>x</p>' },
      'Response 500: HTML content',
    ],
    [{ status: 500, type: 'text/plain', body: '\n  <html><p>x</p>' }, 'Response 500: HTML content'],
    [{ status: 500, type: 'text/plain', body: 'a <html> b' }, 'Response 500: a <html> b'],
    [
      { status: 500, type: 'text/plain', body: 'a <!doctype html>' },
      'Response 500: a <!doctype html>',
    ],
    [
      { status: 500, type: 'text/plain', body: 'a<!doctype html>' },
      'Response 500: a<!doctype html>',
    ],
    [{ status: 403, type: 'text/html', body: '<p>x</p>' }, 'Response 403: HTML content'],
    [{ status: 500, type: 'Text/HTML; charset=utf-8', body: 'x' }, 'Response 500: HTML content'],
    [{ status: 520, type: json, body: '{"message":"boom"}' }, 'Response 520: boom'],
    [{ status: 520 }, 'Response 520: Unknown error (Cloudflare)'],
    [
      { status: 520, type: 'text/html', body: '<p>x</p>' },
      'Response 520: Unknown error (Cloudflare)',
    ],
    [{ status: 429, type: json, body: '{"message":"slow down"}' }, 'Response 429: slow down'],
    [{ status: 429 }, 'Response 429: Rate limit'],
    [{ status: 401 }, 'Response 401: Unauthorized'],
    [
      { status: 403, type: 'text/html', body: '<p>Unable to load site</p>' },
      'Response 403: Bot detected',
    ],
    [
      { status: 403, type: 'text/html', body: '<b id="challenge-error-text">' },
      'Response 403: Bot detected',
    ],
    [
      { status: 403, type: 'text/plain', body: 'id="challenge-error-text"' },
      'Response 403: id="challenge-error-text"',
    ],
    [
      { status: 403, type: 'text/html', body: '<title>Just a moment...</title>' },
      'Response 403: Cloudflare detected',
    ],
    [
      { status: 300, body: 'pick one' },
      'Response 300: redirected with no Location, not an answer (pick one)',
    ],
    [
      { status: 302, headers: { location: '/login' } },
      'Response 302: redirected to /login, not an answer',
    ],
    [
      { status: 302, headers: { location: '/x' }, body: 'y'.repeat(150) },
      `Response 302: redirected to /x, not an answer (${'y'.repeat(100)})`,
    ],
    [{ status: 204 }, 'Response 204: no content where an answer was expected'],
    [{ status: 205 }, 'Response 205: no content where an answer was expected'],
  ])('%j is %j', async (answer, message) => {
    expect(await messageFor(answer)).toBe(message);
  });

  it('makes the right classes', async () => {
    assert(
      CloudflareError.isInstance(
        await errorFor({ status: 503, type: 'text/html', body: '<title>Just a moment...</title>' }),
      ),
    );
    assert(RateLimitError.isInstance(await errorFor({ status: 402 })));
    assert(MissingAuthError.isInstance(await errorFor({ status: 403 })));
    const noContent = await errorFor({ status: 205 });
    assert(ResponseStatusError.isInstance(noContent));
    expect(noContent.isRetryable).toBe(false);
  });
});

describe('answer statuses and headers', () => {
  it.each([
    [199, false],
    [200, true],
    [204, false],
    [205, false],
    [206, true],
    [299, true],
    [300, false],
  ])('status %i is an answer: %s', (status, answer) => {
    expect(isAnswerStatus(status)).toBe(answer);
  });

  it('reads the media type without parameters, in lower case', () => {
    expect(mediaType({ 'content-type': ' Application/JSON ; charset=utf-8; x=y' })).toBe(
      'application/json',
    );
    expect(mediaType({})).toBe('');
  });

  it('drops exactly the secret headers', () => {
    expect(
      publicHeaders({
        cookie: 'a',
        'set-cookie': 'b',
        'x-api-key': 'c',
        'x-auth-token': 'd',
        'x-cookie': 'kept',
        'cookie-policy': 'kept',
        'content-type': 'kept',
      }),
    ).toEqual({ 'x-cookie': 'kept', 'cookie-policy': 'kept', 'content-type': 'kept' });
  });
});

describe('readExcerpt', () => {
  it('reads about 16 KiB of a large error body, then closes the connection', async () => {
    const response = await httpRequest(`${replica.url}/large-error`);
    const call = replica.calls.at(-1)!;
    const text = await readExcerpt(response);
    expect(text.length).toBeGreaterThanOrEqual(16 * 1024);
    expect(text.length).toBeLessThan(64 * 16 * 1024);
    await replica.waitFor(() => call.closedEarly);
    expect(call.finished).toBe(false);
  });

  it("rethrows the caller's abort even when its reason is one of our errors", async () => {
    const controller = new AbortController();
    const response = await httpRequest(`${replica.url}/error-stall`, { signal: controller.signal });
    const reading = readExcerpt(response, controller.signal);
    const reason = new RequestTimeoutError('the caller gave up', { phase: 'body' });
    setTimeout(() => controller.abort(reason), 20);
    await expect(reading).rejects.toBe(reason);
  });
});
