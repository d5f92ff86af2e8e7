import { afterAll, assert, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors/usage-errors.js';
import { createReplicaServer, type ReplicaServer } from '../replica/replica-server.js';
import { httpRequest } from './http-request.js';
import { checkHttpUrl, checkTimeout } from './validate.js';

let replica: ReplicaServer;
beforeAll(async () => {
  replica = await createReplicaServer({ routes: { 'GET /': () => ({ body: 'ok' }) } });
});
afterAll(() => replica.close());

describe('httpRequest checks its options before sending', () => {
  it.each([
    [{ proxy: 'not a url' }],
    [{ proxy: 'ftp://127.0.0.1:21' }],
    [{ timeout: -1 }],
    [{ timeout: 0 }],
    [{ timeout: Number.NaN }],
    [{ timeout: 2 ** 31 }],
  ])('refuses %j as InvalidArgumentError, not retryable, with no request', async (options) => {
    const before = replica.calls.length;
    const error = await httpRequest(replica.url, options).catch((e: unknown) => e);
    expect(InvalidArgumentError.isInstance(error) && !error.isRetryable).toBe(true);
    expect(replica.calls.length).toBe(before);
  });

  it.each(['ftp://x', 'not a url', ''])('refuses the URL %j', async (url) => {
    const error = await httpRequest(url).catch((e: unknown) => e);
    assert(InvalidArgumentError.isInstance(error));
  });

  it('accepts a fractional timeout', async () => {
    const response = await httpRequest(replica.url, { timeout: 1000.5 });
    expect(await response.text()).toBe('ok');
  });
});

describe('checkHttpUrl and checkTimeout', () => {
  it('take http and https URLs given as text only', () => {
    expect(() => checkHttpUrl('https://example.com/x', 'u')).not.toThrow();
    expect(() => checkHttpUrl('http://127.0.0.1:1', 'u')).not.toThrow();
    expect(() => checkHttpUrl(new URL('http://127.0.0.1:1'), 'u')).toThrow(InvalidArgumentError);
    expect(() => checkHttpUrl('ws://127.0.0.1:1', 'u')).toThrow(
      'u must be an absolute http:// or https:// URL, got "ws://127.0.0.1:1"',
    );
  });

  it('take a number of milliseconds above 0 up to the longest timer', () => {
    expect(() => checkTimeout(2_147_483_647, 't')).not.toThrow();
    expect(() => checkTimeout(0.5, 't')).not.toThrow();
    expect(() => checkTimeout('5', 't')).toThrow(InvalidArgumentError);
    expect(() => checkTimeout(Number.POSITIVE_INFINITY, 't')).toThrow(
      't must be a number of milliseconds above 0 and at most 2147483647, got Infinity',
    );
  });
});
