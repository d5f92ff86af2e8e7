import { afterAll, assert, beforeAll, describe, expect, it } from 'vitest';
import type { Chunk } from '../chunks.js';
import { InvalidArgumentError, ModelNotSupportedError } from '../errors/index.js';
import { createReplicaServer, type ReplicaServer } from '../replica/replica-server.js';
import {
  BaseProvider,
  type CallTransport,
  type ProviderRequestInit,
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
      assert(ModelNotSupportedError.isInstance(error));
      expect(error.knownModels).toEqual(['demo-large', 'demo-small', 'demo-image', 'small']);
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
