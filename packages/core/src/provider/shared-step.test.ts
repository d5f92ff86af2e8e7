import { afterAll, afterEach, assert, beforeAll, describe, expect, it } from 'vitest';
import { RequestTimeoutError } from '../errors/transport-errors.js';
import { httpRequest } from '../http/http-request.js';
import { createReplicaServer, type ReplicaServer } from '../replica/replica-server.js';
import { SharedStep } from './shared-step.js';

// The step is a real page load from a replica, so "the step ended" is what the server sees:
// the socket closed early, or the page finished.
let replica: ReplicaServer;
beforeAll(async () => {
  replica = await createReplicaServer({
    routes: { 'GET /page': (_req, ctx) => ({ body: `page ${ctx.callIndex}` }) },
  });
});
afterEach(() => replica.clearFaults());
afterAll(() => replica.close());

function pageLoader(options: { keep?: boolean } = {}): SharedStep<string> {
  return new SharedStep(
    async (key, signal) => {
      const response = await httpRequest(`${replica.url}/page?key=${key}`, { signal });
      return response.text();
    },
    { name: 'Page load', ...options },
  );
}

const loads = () => replica.callsTo('GET /page');

describe('SharedStep', () => {
  it('runs once for concurrent callers with one key, and once per key', async () => {
    const step = pageLoader();
    const before = loads().length;
    const [a, b, c] = await Promise.all([step.get('x'), step.get('x'), step.get('y')]);
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(loads().length - before).toBe(2);
    expect(
      new Set(
        loads()
          .slice(before)
          .map((call) => call.url.searchParams.get('key')),
      ),
    ).toEqual(new Set(['x', 'y']));
  });

  it("outlives one caller's abort: the other caller still gets the page", async () => {
    replica.fail('GET /page', { kind: 'delay', ms: 150 }, { times: 1 });
    const step = pageLoader();
    const a = new AbortController();
    const reason = new Error('A gave up');
    const first = step.get('k', { signal: a.signal });
    const second = step.get('k');
    await replica.waitFor(() => loads().some((call) => !call.finished && !call.closedEarly));
    a.abort(reason);
    await expect(first).rejects.toBe(reason);
    await expect(second).resolves.toMatch(/^page \d+$/);
    expect(loads().at(-1)!.finished).toBe(true);
  });

  it("applies each caller's own timeout to its own wait only", async () => {
    replica.fail('GET /page', { kind: 'delay', ms: 200 }, { times: 1 });
    const step = pageLoader();
    const short = step.get('k', { timeout: 30 });
    const long = step.get('k', { timeout: 5000 });
    const error = await short.catch((e: unknown) => e);
    assert(RequestTimeoutError.isInstance(error));
    expect(error.timeoutMs).toBe(30);
    await expect(long).resolves.toMatch(/^page \d+$/);
  });

  it('stops the step when every caller has gone, and starts anew for the next one', async () => {
    replica.fail('GET /page', { kind: 'hang' }, { times: 1 });
    const step = pageLoader();
    const a = new AbortController();
    const b = new AbortController();
    const before = loads().length;
    const first = step.get('k', { signal: a.signal });
    const second = step.get('k', { signal: b.signal });
    await replica.waitFor(() => loads().length > before);
    const hung = loads().at(-1)!;
    a.abort(new Error('a'));
    b.abort(new Error('b'));
    await expect(first).rejects.toThrow('a');
    await expect(second).rejects.toThrow('b');
    await replica.waitFor(() => hung.closedEarly);
    await expect(step.get('k')).resolves.toMatch(/^page \d+$/);
  });

  it('keeps a success only when asked, never a failure, and forgets it on reset', async () => {
    const kept = pageLoader({ keep: true });
    const once = await kept.get('k');
    expect(await kept.get('k')).toBe(once);
    kept.reset();
    expect(await kept.get('k')).not.toBe(once);

    const fresh = pageLoader();
    expect(await fresh.get('k')).not.toBe(await fresh.get('k'));

    replica.fail('GET /page', { kind: 'reset' }, { times: 1 });
    const failing = new SharedStep(
      async (_key, signal) => {
        const response = await httpRequest(`${replica.url}/page`, { signal });
        return response.text();
      },
      { keep: true },
    );
    await expect(failing.get('k')).rejects.toThrow();
    await expect(failing.get('k')).resolves.toMatch(/^page \d+$/);
  });

  it("rejects at once with the caller's reason when its signal is already aborted", async () => {
    const step = pageLoader();
    const reason = new Error('already');
    const before = loads().length;
    await expect(step.get('k', { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(loads().length).toBe(before);
  });
});
