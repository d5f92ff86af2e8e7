import { describe, expect, it } from 'vitest';
import { CredentialsStoreError } from '../credentials/credentials-store-error.js';
import {
  CloudflareError,
  EmptyAnswerError,
  InvalidArgumentError,
  isRetryableStatus,
  MissingAuthError,
  MissingRequirementsError,
  ModelNotSupportedError,
  NetworkError,
  ProviderError,
  ProviderNotWorkingError,
  RateLimitError,
  RequestTimeoutError,
  ResponseStatusError,
  StreamParseError,
  UnexpectedResponseError,
} from './index.js';

const brand = Symbol.for('g4f.error');

describe('error names and brands', () => {
  it.each([
    [new CloudflareError('x', { status: 403 }), 'CloudflareError'],
    [new UnexpectedResponseError('x'), 'UnexpectedResponseError'],
    [new EmptyAnswerError('x'), 'EmptyAnswerError'],
    [new MissingRequirementsError('x'), 'MissingRequirementsError'],
    [new ProviderNotWorkingError('x'), 'ProviderNotWorkingError'],
    [new InvalidArgumentError('x'), 'InvalidArgumentError'],
    [new ProviderError('x'), 'ProviderError'],
    [new ModelNotSupportedError('m', 'p', []), 'ModelNotSupportedError'],
    [new StreamParseError('x', { kind: 'invalid-json' }), 'StreamParseError'],
    [new RequestTimeoutError('x', { phase: 'connect' }), 'RequestTimeoutError'],
    [new NetworkError('x'), 'NetworkError'],
    [new MissingAuthError('x'), 'MissingAuthError'],
    [new ResponseStatusError('x', { status: 500 }), 'ResponseStatusError'],
    [new RateLimitError('x', { status: 429 }), 'RateLimitError'],
    [new CredentialsStoreError('x', { kind: 'unreadable', path: '/p' }), 'CredentialsStoreError'],
  ])('%s is named %s', (error, name) => {
    expect(error.name).toBe(name);
  });

  it('lists each class of the chain once, a subclass without a name of its own included', () => {
    class Unnamed extends RateLimitError {}
    const error = new Unnamed('x', { status: 429 });
    expect(error.name).toBe('RateLimitError');
    expect((error as unknown as Record<symbol, unknown>)[brand]).toEqual([
      'RateLimitError',
      'ResponseStatusError',
      'ProviderError',
    ]);
  });

  it('does not take a copy of an error, or a primitive, for an error', () => {
    const error = new InvalidArgumentError('x');
    expect(InvalidArgumentError.isInstance({ ...error })).toBe(false);
    expect(InvalidArgumentError.isInstance(Object.assign({}, error))).toBe(false);
    expect(ProviderError.isInstance(undefined)).toBe(false);
    expect(ProviderError.isInstance('ProviderError')).toBe(false);
  });

  it('has no cause unless one is given', () => {
    expect('cause' in new ProviderError('x')).toBe(false);
    expect(new ProviderError('x', { cause: 0 }).cause).toBe(0);
  });

  it('is not retryable unless a subclass or the caller says so', () => {
    expect(new ProviderError('x').isRetryable).toBe(false);
    expect(new ProviderError('x', { isRetryable: true }).isRetryable).toBe(true);
    expect(new RateLimitError('x', { status: 429, isRetryable: false }).isRetryable).toBe(false);
  });
});

describe('error fields', () => {
  it('default the headers to {} and the body excerpt to "" when not given', () => {
    for (const error of [
      new MissingAuthError('x'),
      new ResponseStatusError('x', { status: 500 }),
    ]) {
      expect(error.responseHeaders).toEqual({});
      expect(error.bodyExcerpt).toBe('');
    }
    const given = new MissingAuthError('x', {
      status: 401,
      url: 'http://u',
      responseHeaders: { a: 'b' },
      bodyExcerpt: 'no',
    });
    expect([given.status, given.url, given.responseHeaders, given.bodyExcerpt]).toEqual([
      401,
      'http://u',
      { a: 'b' },
      'no',
    ]);
  });

  it('say no retry-after when the upstream did not, and round a given one up to seconds', () => {
    expect(new RateLimitError('x', { status: 429 }).retryAfter).toBeUndefined();
    expect(new RateLimitError('x', { status: 429, retryAfterMs: 1 }).retryAfter).toBe(1);
  });

  it('keep no offending line when none is given', () => {
    expect(new StreamParseError('x', { kind: 'unexpected-shape' }).line).toBeUndefined();
    expect(new StreamParseError('x', { kind: 'unexpected-shape', line: 'ab' }).line).toBe('ab');
  });

  it.each([
    [408, true],
    [409, true],
    [429, true],
    [500, true],
    [599, true],
    [400, false],
    [404, false],
    [428, false],
    [499, false],
  ])('status %i is retryable: %s', (status, retryable) => {
    expect(isRetryableStatus(status)).toBe(retryable);
  });
});
