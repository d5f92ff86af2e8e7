import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from './retry-after.js';

describe('parseRetryAfter edges', () => {
  it.each<[Record<string, string>, number | undefined]>([
    [{ 'retry-after-ms': '0', 'retry-after': '2' }, 0],
    [{ 'retry-after-ms': ' ', 'retry-after': '2' }, 2000],
    [{ 'retry-after-ms': 'soon', 'retry-after': '2' }, 2000],
    [{ 'retry-after-ms': '-5', 'retry-after': '2' }, 2000],
    [{ 'retry-after': ' 3 ' }, 3000],
    [{ 'retry-after': '1.25' }, 1250],
    [{ 'retry-after': 'x2' }, undefined],
    [{ 'retry-after': '2x' }, undefined],
    [{ 'retry-after': '' }, undefined],
  ])('%j waits %s ms', (headers, ms) => {
    expect(parseRetryAfter(headers, Date.parse('2026-01-01T00:00:00Z'))).toBe(ms);
  });
});
