import { ACYTOO_ROUTE } from '@g4f/acytoo/replica';
import type { ReplicaFault } from '@g4f/core/replica';
import { failureOf } from '@g4f/testing';
import { WEBSIM_IMAGE_ROUTE } from '@g4f/websim/replica';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Stack, startStack } from './test-setup.js';

type APIError = InstanceType<typeof OpenAI.APIError>;

const KEY = 'sk-test-4f1b2c';
const messages = [{ role: 'user' as const, content: 'Say hello.' }];

describe('@g4f/server through the official openai SDK', () => {
  let stack: Stack;
  let openai: OpenAI;
  beforeAll(async () => {
    stack = await startStack({ apiKey: KEY });
    openai = new OpenAI({ baseURL: `${stack.server.url}/v1`, apiKey: KEY, maxRetries: 0 });
  });
  afterAll(() => stack.close());

  /** Makes the Acytoo replica show `fault` once and returns the SDK's error for a call to it. */
  const acytooFailure = async (fault: ReplicaFault): Promise<APIError> => {
    stack.acytooReplica.fail(ACYTOO_ROUTE, fault, { times: 1 });
    const call = openai.chat.completions.create({
      messages,
      provider: 'Acytoo',
    } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming);
    return (await failureOf(call)) as APIError;
  };

  it('answers a chat completion in OpenAI shape', async () => {
    const completion = await openai.chat.completions.create({ model: 'gpt-3.5-turbo', messages });
    expect(completion.object).toBe('chat.completion');
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion.choices[0]?.message.content).toBe(stack.acytooReplica.state.answer);
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect((completion as unknown as { provider: string }).provider).toBe('Acytoo');
  });

  it('streams chunks that add up to the answer, under one id', async () => {
    const stream = await openai.chat.completions.create({
      model: 'gpt-3.5-turbo',
      messages,
      stream: true,
    });
    let text = '';
    const ids = new Set<string>();
    let finish: string | null = null;
    for await (const chunk of stream) {
      ids.add(chunk.id);
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
    }
    expect(text).toBe(stack.acytooReplica.state.answer);
    expect(ids.size).toBe(1);
    expect(finish).toBe('stop');
  });

  it('routes to the provider named in the body or in the /api path', async () => {
    const byBody = await openai.chat.completions.create({
      messages,
      provider: 'Websim',
    } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming);
    expect(byBody.choices[0]?.message.content).toContain('Websim replica');
    const viaPath = new OpenAI({
      baseURL: `${stack.server.url}/api/Websim`,
      apiKey: KEY,
      maxRetries: 0,
    });
    const byPath = await viaPath.chat.completions.create({ model: '', messages });
    expect((byPath as unknown as { provider: string }).provider).toBe('Websim');
  });

  it('lists and retrieves models, and 404s an unknown one', async () => {
    const ids = [];
    for await (const model of openai.models.list()) ids.push(model.id);
    expect(ids).toEqual(expect.arrayContaining(['gpt-3.5-turbo', 'gemini-2.5-pro', 'flux']));
    const model = await openai.models.retrieve('gemini-2.5-flash');
    expect(model.owned_by).toBe('Websim');
    await expect(openai.models.retrieve('no-such-model')).rejects.toBeInstanceOf(
      OpenAI.NotFoundError,
    );
  });

  it('generates images as url and as b64_json', async () => {
    const byUrl = await openai.images.generate({ prompt: 'a red fox', model: 'flux' });
    expect(byUrl.data?.[0]?.url).toMatch(new RegExp(`^${stack.websimReplica.url}/images/`));
    const inline = await openai.images.generate({
      prompt: 'a red fox',
      model: 'flux',
      response_format: 'b64_json',
    });
    expect(
      Buffer.from(inline.data?.[0]?.b64_json ?? '', 'base64')
        .subarray(1, 4)
        .toString(),
    ).toBe('PNG');
    expect(stack.websimReplica.callsTo(WEBSIM_IMAGE_ROUTE).length).toBeGreaterThanOrEqual(2);
  });

  it('maps a missing or wrong key to AuthenticationError without echoing the key', async () => {
    const wrong = new OpenAI({
      baseURL: `${stack.server.url}/v1`,
      apiKey: 'sk-wrong-secret-9z',
      maxRetries: 0,
    });
    const error = await wrong.models.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(JSON.stringify((error as APIError).error)).not.toContain('sk-wrong-secret-9z');
    const res = await fetch(`${stack.server.url}/v1/models`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('missing_api_key');
    const viaHeader = await fetch(`${stack.server.url}/v1/models`, {
      headers: { 'g4f-api-key': KEY },
    });
    expect(viaHeader.status).toBe(200);
  });

  it('maps a schema failure to BadRequestError naming the field', async () => {
    const error = await openai.chat.completions
      .create({ model: 'gpt-3.5-turbo', messages, temperature: 7 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as APIError).message).toContain('temperature');
    expect((error as APIError).param).toBe('temperature');
  });

  it('maps an unknown model and an unknown provider to NotFoundError', async () => {
    const model = await openai.chat.completions
      .create({ model: 'gpt-9-ultra', messages })
      .catch((e: unknown) => e);
    expect(model).toBeInstanceOf(OpenAI.NotFoundError);
    const viaPath = new OpenAI({
      baseURL: `${stack.server.url}/api/Nope`,
      apiKey: KEY,
      maxRetries: 0,
    });
    const provider = await viaPath.chat.completions
      .create({ messages, model: '' })
      .catch((e: unknown) => e);
    expect(provider).toBeInstanceOf(OpenAI.NotFoundError);
  });

  it('maps an upstream 429 to RateLimitError and passes Retry-After on', async () => {
    const error = await acytooFailure({
      kind: 'status',
      status: 429,
      body: 'slow down',
      headers: { 'retry-after': '7' },
    });
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.headers?.get('retry-after')).toBe('7');
  });

  it('maps another upstream failure to 502 naming the provider and the error class', async () => {
    const error = await acytooFailure({ kind: 'status', status: 500, body: 'boom' });
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error.status).toBe(502);
    expect(error.message).toMatch(/Acytoo: ResponseStatusError/);
  });

  it('maps an upstream timeout to 504', async () => {
    const error = await acytooFailure({ kind: 'hang' });
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error.status).toBe(504);
  });

  it('closes the upstream socket within a second when the SDK aborts a stream', async () => {
    const slow = await startStack({ apiKey: KEY, chunkDelayMs: 50, chunkBytes: 1 });
    try {
      const sdk = new OpenAI({ baseURL: `${slow.server.url}/v1`, apiKey: KEY, maxRetries: 0 });
      const controller = new AbortController();
      const stream = await sdk.chat.completions.create(
        { model: 'gpt-3.5-turbo', messages, stream: true },
        { signal: controller.signal },
      );
      const iterator = stream[Symbol.asyncIterator]();
      const first = await iterator.next();
      expect(first.done).toBe(false);
      // The first chunk is here while the replica is still writing: nothing buffered the answer.
      const call = slow.acytooReplica.callsTo(ACYTOO_ROUTE)[0];
      expect(call?.finished).toBe(false);
      controller.abort();
      // The SDK ends an aborted stream quietly or with an abort error, depending on timing.
      await iterator.next().catch(() => undefined);
      await slow.acytooReplica.waitFor(() => call?.closedEarly === true, 1000);
      await slow.acytooReplica.waitFor(() => slow.server.app.inFlight === 0, 1000);
    } finally {
      await slow.close();
    }
  });

  it('answers 503 to a stream over maxConcurrentStreams', async () => {
    const slow = await startStack({
      apiKey: KEY,
      chunkDelayMs: 50,
      chunkBytes: 1,
      maxConcurrentStreams: 1,
    });
    try {
      const sdk = new OpenAI({ baseURL: `${slow.server.url}/v1`, apiKey: KEY, maxRetries: 0 });
      const controller = new AbortController();
      const open = await sdk.chat.completions.create(
        { model: 'gpt-3.5-turbo', messages, stream: true },
        { signal: controller.signal },
      );
      const iterator = open[Symbol.asyncIterator]();
      await iterator.next();
      const error = await sdk.chat.completions
        .create({ model: 'gpt-3.5-turbo', messages, stream: true })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OpenAI.InternalServerError);
      expect((error as APIError).status).toBe(503);
      controller.abort();
      await iterator.next().catch(() => undefined);
    } finally {
      await slow.close();
    }
  });
});
