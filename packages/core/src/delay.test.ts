import { describe, expect, it } from 'vitest';
import { delay } from './delay.js';

describe('delay', () => {
  it('waits', async () => {
    const started = performance.now();
    await delay(30);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('ends early with the abort reason', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    const pending = delay(10_000, controller.signal);
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    await expect(delay(10, controller.signal)).rejects.toBe(reason);
  });
});
