import { describe, expect, it } from 'vitest';
import type { Chunk } from '../chunks.js';
import { InvalidArgumentError, ModelNotSupportedError } from '../errors/index.js';
import { BaseProvider, validateMessages } from './base-provider.js';

class Demo extends BaseProvider {
  readonly name = 'Demo';
  readonly label = 'Demo';
  readonly url = 'https://demo.invalid';
  override readonly defaultModel = 'demo-large';
  override readonly models = ['demo-large', 'demo-small'];
  override readonly modelAliases = { small: 'demo-small' };
  override readonly imageModels = ['demo-image'];
  async *createAsyncGenerator(): AsyncGenerator<Chunk> {
    yield 'x';
  }
}

class Open extends BaseProvider {
  readonly name = 'Open';
  readonly label = 'Open';
  readonly url = 'https://open.invalid';
  async *createAsyncGenerator(): AsyncGenerator<Chunk> {}
}

describe('BaseProvider.getModel', () => {
  const demo = new Demo();
  it('resolves empty to the default, aliases to their model, and known names to themselves', () => {
    expect(demo.getModel()).toBe('demo-large');
    expect(demo.getModel('small')).toBe('demo-small');
    expect(demo.getModel('demo-small')).toBe('demo-small');
    expect(demo.getModel('demo-image')).toBe('demo-image');
  });

  it('refuses unknown names, listing every known model and alias', () => {
    try {
      demo.getModel('gpt-9');
      expect.unreachable();
    } catch (error) {
      expect(ModelNotSupportedError.isInstance(error)).toBe(true);
      expect((error as ModelNotSupportedError).knownModels).toEqual([
        'demo-large',
        'demo-small',
        'demo-image',
        'small',
      ]);
    }
  });

  it('passes any name through for a provider without a model list', () => {
    expect(new Open().getModel('anything')).toBe('anything');
  });
});

describe('validateMessages', () => {
  it('accepts a well-formed conversation', () => {
    expect(() => validateMessages([{ role: 'user', content: 'hi' }])).not.toThrow();
  });

  it.each([
    [[], 'messages must be a non-empty array'],
    ['hi', 'messages must be a non-empty array'],
    [[{ role: 'robot', content: 'x' }], 'messages[0].role must be one of system, user, assistant'],
    [
      [
        { role: 'user', content: 'a' },
        { role: 'user', content: 3 },
      ],
      'messages[1].content must be a string',
    ],
    [[null], 'messages[0].role must be one of system, user, assistant'],
  ])('refuses %j', (messages, message) => {
    expect(() => validateMessages(messages)).toThrow(InvalidArgumentError);
    expect(() => validateMessages(messages)).toThrow(message);
  });
});
