import { afterAll, afterEach, assert, beforeAll, describe, expect, it } from 'vitest';
import { RateLimitError } from '../errors/rate-limit-error.js';
import { ResponseStatusError } from '../errors/response-status-error.js';
import { createReplicaServer, type ReplicaServer } from '../replica/replica-server.js';
import { httpRequest } from './http-request.js';
import { raiseForStatus } from './raise-for-status.js';
import { retryWithBackoff } from './retry.js';

let replica: ReplicaServer;
beforeAll(async () => {
  replica = await createReplicaServer({ routes: { 'GET /ask': () => ({ body: 'answer' }) } });
});
afterEach(() => replica.clearFaults());
afterAll(() => replica.close());

async function ask(): Promise<string> {
  const response = await httpRequest(`${replica.url}/ask`);
  await raiseForStatus(response);
  return response.text();
}

function limited(retryAfter?: string, times = 1): void {
  replica.fail(
    'GET /ask',
    {
      kind: 'status',
      status: 429,
      body: 'slow down',
      headers:
        retryAfter === undefined
          ? { 'x-request-id': 'r1' }
          : { 'retry-after': retryAfter, 'x-request-id': 'r1' },
    },
    { times },
  );
}

describe('retryWithBackoff', () => {
  it('waits what the server asked, capped, else doubles the base delay, then succeeds', async () => {
    limited('2');
    limited(undefined);
    limited('600');
    const waits: number[] = [];
    const text = await retryWithBackoff(ask, {
      maxAttempts: 4,
      baseDelayMs: 10,
      maxRetryAfterMs: 5000,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    expect(text).toBe('answer');
    expect(waits).toEqual([2000, 40, 5000]);
  });

  it('throws the last RateLimitError unchanged, its headers kept, after the last attempt', async () => {
    limited('1', 3);
    const waits: number[] = [];
    const error = await retryWithBackoff(ask, {
      sleep: async (ms) => {
        waits.push(ms);
      },
    }).catch((e: unknown) => e);
    assert(RateLimitError.isInstance(error));
    expect(error.responseHeaders['x-request-id']).toBe('r1');
    expect(error.responseHeaders['retry-after']).toBe('1');
    expect(waits).toEqual([1000, 1000]);
    expect(replica.callsTo('GET /ask').length).toBeGreaterThanOrEqual(3);
  });

  it('fails at once when the next wait would pass the retry budget (Retry-After: 3600)', async () => {
    limited('3600', 5);
    const waits: number[] = [];
    const before = replica.callsTo('GET /ask').length;
    const error = await retryWithBackoff(ask, {
      maxRetryAfterMs: 3_600_000,
      maxRetryWaitMs: 10_000,
      sleep: async (ms) => {
        waits.push(ms);
      },
    }).catch((e: unknown) => e);
    assert(RateLimitError.isInstance(error));
    expect(error.retryAfterMs).toBe(3_600_000);
    expect(error.message).toContain('retry budget');
    expect(error.responseHeaders['retry-after']).toBe('3600');
    expect(waits).toEqual([]);
    expect(replica.callsTo('GET /ask').length - before).toBe(1);
  });

  it('does not retry what is not worth it, and stops on the abort', async () => {
    replica.fail('GET /ask', { kind: 'status', status: 400, body: 'bad' }, { times: 1 });
    const error = await retryWithBackoff(ask, { sleep: async () => undefined }).catch((e) => e);
    expect(ResponseStatusError.isInstance(error) && error.status).toBe(400);

    limited('1', 3);
    const controller = new AbortController();
    const reason = new Error('caller left');
    const aborted = retryWithBackoff(ask, {
      signal: controller.signal,
      sleep: (_ms, signal) =>
        new Promise((_resolve, reject) => {
          controller.abort(reason);
          reject(signal?.reason);
        }),
    });
    await expect(aborted).rejects.toBe(reason);
  });
});

describe('retryWithBackoff budget', () => {
  const always = { shouldRetry: () => true, baseDelayMs: 1000, maxAttempts: 5 };

  it('waits while the total stays within the budget, the budget itself included', async () => {
    const waits: number[] = [];
    let attempts = 0;
    const error = await retryWithBackoff(
      async () => {
        attempts++;
        throw new ResponseStatusError('busy', { status: 503 });
      },
      { ...always, maxRetryWaitMs: 6000, sleep: async (ms) => void waits.push(ms) },
    ).catch((e: unknown) => e);
    // 2000 + 4000 = 6000 fits; the next 8000 would not.
    expect(waits).toEqual([2000, 4000]);
    expect(attempts).toBe(3);
    expect(error).toHaveProperty(
      'message',
      'busy (not retried: waiting 8000 ms would pass the 6000 ms retry budget)',
    );
  });

  it('leaves errors that are not ours untouched when the budget runs out', async () => {
    const plain = new Error('plain');
    await expect(
      retryWithBackoff(() => Promise.reject(plain), { ...always, maxRetryWaitMs: 10 }),
    ).rejects.toHaveProperty('message', 'plain');
    await expect(
      retryWithBackoff(() => Promise.reject('text'), { ...always, maxRetryWaitMs: 10 }),
    ).rejects.toBe('text');
  });
});
