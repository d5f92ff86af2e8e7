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

/**
 * A step whose runs wait for the test to settle them, so the order of outcome, abort, timeout
 * and reset is the test's to choose. `runs` holds each run's key, signal and settlers.
 */
function gatedStep(options: { keep?: boolean; name?: string } = {}) {
  const runs: {
    key: string;
    signal: AbortSignal;
    succeed: (value: string) => void;
    fail: (error: Error) => void;
  }[] = [];
  const step = new SharedStep<string>(
    (key, signal) =>
      new Promise<string>((succeed, fail) => {
        runs.push({ key, signal, succeed, fail });
      }),
    options,
  );
  return { step, runs };
}

/** Lets every pending promise callback run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('SharedStep waits', () => {
  it('names the step, or says "A shared step", in a timeout of the headers phase', async () => {
    const named = gatedStep({ name: 'Page load' });
    const error = await named.step.get('k', { timeout: 20 }).catch((e: unknown) => e);
    assert(RequestTimeoutError.isInstance(error));
    expect(error.message).toBe('Page load took longer than 20 ms');
    expect(error.phase).toBe('headers');

    const unnamed = gatedStep();
    await expect(unnamed.step.get('k', { timeout: 10 })).rejects.toThrow(
      'A shared step took longer than 10 ms',
    );
  });

  it('counts a caller once when its timeout and then its abort both end its wait', async () => {
    const { step, runs } = gatedStep();
    const a = new AbortController();
    const first = step.get('k', { signal: a.signal, timeout: 10 });
    const second = step.get('k');
    await expect(first).rejects.toBeInstanceOf(RequestTimeoutError);
    a.abort(new Error('late abort'));
    await settle();
    expect(runs[0]!.signal.aborted).toBe(false);
    runs[0]!.succeed('page');
    await expect(second).resolves.toBe('page');
  });

  it('counts a caller once when its abort and then its timer both end its wait', async () => {
    const { step, runs } = gatedStep();
    const a = new AbortController();
    const first = step.get('k', { signal: a.signal, timeout: 20 });
    const second = step.get('k');
    a.abort(new Error('early abort'));
    await expect(first).rejects.toThrow('early abort');
    // Past the first caller's timer: had it been left running, it would end the wait again.
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(runs[0]!.signal.aborted).toBe(false);
    runs[0]!.succeed('page');
    await expect(second).resolves.toBe('page');
  });

  it('starts a new run for a caller in the same turn as the last one left', async () => {
    const { step, runs } = gatedStep();
    const a = new AbortController();
    const first = step.get('k', { signal: a.signal });
    await settle();
    a.abort(new Error('gone'));
    const next = step.get('k');
    await expect(first).rejects.toThrow('gone');
    await settle();
    expect(runs).toHaveLength(2);
    expect(runs[0]!.signal.reason).toEqual(
      new Error('Every caller waiting for the shared step left'),
    );
    runs[1]!.succeed('second');
    await expect(next).resolves.toBe('second');
  });

  it('a detached run never drops the run that replaced it: not by success, failure or its callers leaving', async () => {
    for (const end of ['succeed', 'fail', 'leave'] as const) {
      const { step, runs } = gatedStep();
      const a = new AbortController();
      const old = step.get('k', { signal: a.signal }).catch((e: unknown) => e);
      await settle();
      step.reset('k');
      const replacement = step.get('k');
      await settle();
      if (end === 'succeed') runs[0]!.succeed('old');
      if (end === 'fail') runs[0]!.fail(new Error('old failed'));
      if (end === 'leave') a.abort(new Error('left'));
      await old;
      // A caller now must share the replacement run, not start a third.
      const joiner = step.get('k');
      await settle();
      expect(runs, end).toHaveLength(2);
      runs[1]!.succeed('new');
      await expect(replacement).resolves.toBe('new');
      await expect(joiner).resolves.toBe('new');
    }
  });

  it('reset(key) forgets that key only; reset() forgets every key', async () => {
    const { step, runs } = gatedStep({ keep: true });
    const a = step.get('a');
    const b = step.get('b');
    await settle();
    runs[0]!.succeed('a1');
    runs[1]!.succeed('b1');
    await Promise.all([a, b]);
    step.reset('a');
    const a2 = step.get('a');
    await expect(step.get('b')).resolves.toBe('b1');
    await settle();
    expect(runs.map((run) => run.key)).toEqual(['a', 'b', 'a']);
    runs[2]!.succeed('a2');
    await expect(a2).resolves.toBe('a2');
    step.reset();
    void step.get('a');
    void step.get('b');
    await settle();
    expect(runs.map((run) => run.key)).toEqual(['a', 'b', 'a', 'a', 'b']);
  });

  it('lets a caller abort its wait for a kept result, and keeps the result for the others', async () => {
    const { step, runs } = gatedStep({ keep: true });
    const first = step.get('k');
    await settle();
    runs[0]!.succeed('kept');
    await expect(first).resolves.toBe('kept');
    const a = new AbortController();
    const reason = new Error('changed my mind');
    const aborted = step.get('k', { signal: a.signal });
    a.abort(reason);
    await expect(aborted).rejects.toBe(reason);
    await expect(step.get('k')).resolves.toBe('kept');
    expect(runs).toHaveLength(1);
    expect(runs[0]!.signal.aborted).toBe(false);
  });
});
