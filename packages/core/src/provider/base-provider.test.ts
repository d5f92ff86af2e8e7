import { afterAll, assert, beforeAll, describe, expect, it } from 'vitest';
import type { Chunk } from '../chunks.js';
import { InvalidArgumentError, ModelNotSupportedError } from '../errors/index.js';
import { createReplicaServer, type ReplicaServer } from '../replica/replica-server.js';
import {
  BaseProvider,
  type CallTransport,
  type ProviderRequestInit,
  validateCreateOptions,
  validateMessages,
} from './base-provider.js';
import type { ProviderSettings } from './provider.js';

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

class ImagesOnly extends BaseProvider {
  readonly name = 'ImagesOnly';
  readonly label = 'ImagesOnly';
  readonly url = 'https://images.invalid';
  override readonly defaultModel = 'only-text';
  override readonly imageModels = ['only-image'];
  async *createAsyncGenerator(): AsyncGenerator<Chunk> {}
}

class TextOnly extends BaseProvider {
  readonly name = 'TextOnly';
  readonly label = 'TextOnly';
  readonly url = 'https://text.invalid';
  override readonly defaultModel = 't1';
  override readonly models = ['t1', 't2'];
  async *createAsyncGenerator(): AsyncGenerator<Chunk> {}
}

class Open extends BaseProvider {
  readonly name = 'Open';
  readonly label = 'Open';
  readonly url = 'https://open.invalid';
  async *createAsyncGenerator(): AsyncGenerator<Chunk> {}
}

// Providers are built inside each test, never at module level: code that runs while the file
// loads cannot be told apart from a broken file by mutation testing.
describe('BaseProvider.getModel', () => {
  it('resolves empty to the default, aliases to their model, and known names to themselves', () => {
    const demo = new Demo();
    expect(demo.getModel()).toBe('demo-large');
    expect(demo.getModel('small')).toBe('demo-small');
    expect(demo.getModel('demo-small')).toBe('demo-small');
    expect(demo.getModel('demo-image')).toBe('demo-image');
  });

  it('refuses unknown names, listing every known model and alias', () => {
    try {
      new Demo().getModel('gpt-9');
      expect.unreachable();
    } catch (error) {
      assert(ModelNotSupportedError.isInstance(error));
      expect(error.knownModels).toEqual(['demo-large', 'demo-small', 'demo-image', 'small']);
    }
  });

  it('passes any name through for a provider without a model list', () => {
    expect(new Open().getModel('anything')).toBe('anything');
  });

  it('knows the default model as the only text model when the list is empty', () => {
    const imagesOnly = new ImagesOnly();
    expect(imagesOnly.getModel('only-text')).toBe('only-text');
    expect(imagesOnly.getModel('only-image')).toBe('only-image');
    expect(() => imagesOnly.getModel('other')).toThrow(ModelNotSupportedError);
    try {
      imagesOnly.getModel('other');
    } catch (error) {
      assert(ModelNotSupportedError.isInstance(error));
      expect(error.knownModels).toEqual(['only-text', 'only-image']);
    }
  });

  it('refuses unknown names for a provider with text models and no image models', () => {
    expect(() => new TextOnly().getModel('other')).toThrow(ModelNotSupportedError);
    expect(new TextOnly().getModel('t2')).toBe('t2');
  });
});

describe('BaseProvider metadata defaults', () => {
  it('says a provider is not known to work, needs no auth, streams, and knows no models', () => {
    const open = new Open();
    expect({
      working: open.working,
      needsAuth: open.needsAuth,
      supportsStream: open.supportsStream,
      supportsSystemMessage: open.supportsSystemMessage,
      supportsMessageHistory: open.supportsMessageHistory,
      defaultModel: open.defaultModel,
      models: open.models,
      modelAliases: open.modelAliases,
      imageModels: open.imageModels,
    }).toEqual({
      working: false,
      needsAuth: false,
      supportsStream: true,
      supportsSystemMessage: false,
      supportsMessageHistory: false,
      defaultModel: '',
      models: [],
      modelAliases: {},
      imageModels: [],
    });
  });
});

describe('validateMessages', () => {
  it('accepts a well-formed conversation with every role', () => {
    expect(() =>
      validateMessages([
        { role: 'system', content: 'be brief' },
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'hello' },
      ]),
    ).not.toThrow();
  });

  it('accepts a tool round trip: the assistant call, then the tool result', () => {
    const call = { id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } };
    expect(() =>
      validateMessages([
        { role: 'user', content: 'weather?' },
        { role: 'assistant', content: '', tool_calls: [call] },
        { role: 'tool', content: '{"t":20}', tool_call_id: 'c1' },
      ]),
    ).not.toThrow();
  });

  it.each([
    [[], 'messages must be a non-empty array'],
    ['hi', 'messages must be a non-empty array'],
    [
      [{ role: 'robot', content: 'x' }],
      'messages[0].role must be one of system, user, assistant, tool',
    ],
    [
      [
        { role: 'user', content: 'a' },
        { role: 'user', content: 3 },
      ],
      'messages[1].content must be a string',
    ],
    [[null], 'messages[0].role must be one of system, user, assistant, tool'],
    [[undefined], 'messages[0].role must be one of system, user, assistant, tool'],
    [['user'], 'messages[0].role must be one of system, user, assistant, tool'],
    [[{ role: 'tool', content: '42' }], 'messages[0].tool_call_id must be a string'],
    [
      [{ role: 'user', content: 'x', tool_calls: [] }],
      'messages[0].tool_calls must be an array on an assistant message',
    ],
  ])('refuses %j', (messages, message) => {
    expect(() => validateMessages(messages)).toThrow(InvalidArgumentError);
    expect(() => validateMessages(messages)).toThrow(message);
  });
});

class Api extends BaseProvider {
  readonly name = 'Api';
  readonly label = 'Api';
  readonly url = 'https://home.invalid/docs';
  protected override readonly defaultBaseUrl = 'https://api.invalid';
  async *createAsyncGenerator(): AsyncGenerator<Chunk> {}
  where(): string {
    return this.baseUrl;
  }
  send(path: string, init: ProviderRequestInit, call: CallTransport) {
    return this.request(path, init, call);
  }
}

describe('BaseProvider settings and requests', () => {
  let replica: ReplicaServer;
  beforeAll(async () => {
    replica = await createReplicaServer({ routes: { 'POST /v1/x': () => ({ body: 'ok' }) } });
  });
  afterAll(() => replica.close());

  it('resolves the base URL by one rule: baseUrl, else the API origin, else url', () => {
    expect(new Api().where()).toBe('https://api.invalid');
    expect(new Api({ baseUrl: 'http://127.0.0.1:9/' }).where()).toBe('http://127.0.0.1:9/');
  });

  it('names the setting at fault', () => {
    expect(() => new Api({ baseUrl: 'ftp://x' })).toThrow(
      'settings.baseUrl must be an absolute http:// or https:// URL, got "ftp://x"',
    );
    expect(() => new Api({ proxy: 'socks5://x' })).toThrow('settings.proxy must be');
  });

  it.each<ProviderSettings>([
    { baseUrl: 'ftp://x' },
    { baseUrl: 'not a url' },
    { proxy: 'not a url' },
    { timeout: -1 },
    { timeout: 0 },
    { timeout: Number.POSITIVE_INFINITY },
  ])('refuses settings %j when built', (settings) => {
    expect(() => new Api(settings)).toThrow(InvalidArgumentError);
  });

  it("joins the path, merges the settings' headers last and applies the call's transport", async () => {
    const api = new Api({ baseUrl: `${replica.url}/`, headers: { 'x-a': 'settings', 'x-b': 'b' } });
    const response = await api.send(
      '/v1/x',
      { method: 'POST', body: 'hi', headers: { 'x-a': 'provider', 'x-c': 'c' } },
      { timeout: 5000 },
    );
    expect(await response.text()).toBe('ok');
    const call = replica.callsTo('POST /v1/x').at(-1)!;
    expect(call.text).toBe('hi');
    expect(call.headers).toMatchObject({ 'x-a': 'settings', 'x-b': 'b', 'x-c': 'c' });
    const aborted = api.send('/v1/x', {}, { signal: AbortSignal.abort(new Error('no')) });
    await expect(aborted).rejects.toThrow('no');
  });
});

describe('validateCreateOptions', () => {
  it("checks the messages and the call's own proxy and timeout", () => {
    const messages = [{ role: 'user' as const, content: 'hi' }];
    expect(() =>
      validateCreateOptions({ messages, proxy: 'http://127.0.0.1:1', timeout: 5 }),
    ).not.toThrow();
    expect(() => validateCreateOptions({ messages: [] })).toThrow(InvalidArgumentError);
    expect(() => validateCreateOptions({ messages, proxy: 'nope' })).toThrow(
      'options.proxy must be an absolute http:// or https:// URL',
    );
    expect(() => validateCreateOptions({ messages, timeout: 0 })).toThrow(
      'options.timeout must be',
    );
  });
});
