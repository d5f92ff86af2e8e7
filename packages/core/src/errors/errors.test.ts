import { assert, describe, expect, it } from 'vitest';
import {
  CloudflareError,
  MissingAuthError,
  ModelNotSupportedError,
  NetworkError,
  ProviderError,
  RateLimitError,
  RequestTimeoutError,
  ResponseStatusError,
  StreamParseError,
} from './index.js';

describe('error classes', () => {
  it('have stable names and follow the class chain', () => {
    const error = new RateLimitError('Response 429: slow down', {
      status: 429,
      retryAfterMs: 2500,
    });
    expect(error.name).toBe('RateLimitError');
    expect(error).toBeInstanceOf(ResponseStatusError);
    assert(RateLimitError.isInstance(error));
    const unknown: unknown = error;
    // isInstance narrows: no cast is needed to read the subclass's fields.
    assert(RateLimitError.isInstance(unknown));
    expect(unknown.retryAfterMs).toBe(2500);
    assert(ModelNotSupportedError.isInstance(new ModelNotSupportedError('m', 'p', ['a'])));
    assert(ResponseStatusError.isInstance(error));
    assert(ProviderError.isInstance(error));
    expect(CloudflareError.isInstance(error)).toBe(false);
    expect(error.retryAfter).toBe(3);
  });

  it('recognise instances from another copy of the library by the brand', () => {
    const foreign = Object.defineProperty(new Error('x'), Symbol.for('g4f.error'), {
      value: ['MissingAuthError', 'ProviderError'],
    });
    assert(MissingAuthError.isInstance(foreign));
    assert(ProviderError.isInstance(foreign));
    expect(NetworkError.isInstance(foreign)).toBe(false);
    expect(ProviderError.isInstance(new Error('plain'))).toBe(false);
    expect(ProviderError.isInstance(null)).toBe(false);
  });

  it('mark retryable statuses and transport failures', () => {
    expect(new ResponseStatusError('x', { status: 503 }).isRetryable).toBe(true);
    expect(new ResponseStatusError('x', { status: 408 }).isRetryable).toBe(true);
    expect(new ResponseStatusError('x', { status: 400 }).isRetryable).toBe(false);
    expect(new RateLimitError('x', { status: 402 }).isRetryable).toBe(true);
    expect(new NetworkError('x').isRetryable).toBe(true);
    expect(new RequestTimeoutError('x', { phase: 'body' }).isRetryable).toBe(true);
    expect(new MissingAuthError('x').isRetryable).toBe(false);
  });

  it('keep the cause and a bounded offending line', () => {
    const cause = new SyntaxError('bad');
    const error = new StreamParseError('bad line', {
      kind: 'invalid-json',
      line: 'x'.repeat(5000),
      cause,
    });
    expect(error.cause).toBe(cause);
    expect(error.line).toHaveLength(1000);
  });

  it('list the known models', () => {
    const error = new ModelNotSupportedError('gpt-9', 'Demo', ['a', 'b']);
    expect(error.message).toBe('Model is not supported: gpt-9 in: Demo Valid models: ["a","b"]');
    expect(error.knownModels).toEqual(['a', 'b']);
  });
});
