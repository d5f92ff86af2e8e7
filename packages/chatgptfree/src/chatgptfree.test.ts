import {
  CloudflareError,
  collectChunks,
  EmptyAnswerError,
  joinText,
  MissingAuthError,
  NetworkError,
  RateLimitError,
  ResponseStatusError,
  UnexpectedResponseError,
} from '@g4f/core';
import { chunksBeforeFailure, failureOf, runProviderConformance } from '@g4f/testing';
import { afterAll, afterEach, assert, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ChatgptFree, chatgptFree } from './chatgptfree.js';
import {
  CHATGPTFREE_PAGE_ROUTE,
  CHATGPTFREE_ROUTE,
  type ChatgptFreeReplica,
  createChatgptFreeReplica,
} from './chatgptfree-replica.js';

runProviderConformance('ChatgptFree', {
  route: CHATGPTFREE_ROUTE,
  startReplica: () => createChatgptFreeReplica({ chunkDelayMs: 0 }),
  createProvider: (baseUrl) => new ChatgptFree({ baseUrl }),
  cutAfterBytes: 170,
  sharedStepRoute: CHATGPTFREE_PAGE_ROUTE,
  answer: 'Hi from the ChatgptFree replica — ça marche, 日本語も 👍',
  expected: {
    label: 'ChatgptFree',
    defaultModel: 'gpt-4o-mini-2024-07-18',
    aliases: { 'gpt-4o-mini': 'gpt-4o-mini-2024-07-18' },
    unknownModel: 'gpt-4',
  },
});

const conversation = [
  { role: 'system' as const, content: 'Be brief' },
  { role: 'user' as const, content: 'Hi & bye?' },
];

describe('ChatgptFree against its replica', () => {
  let replica: ChatgptFreeReplica;
  let provider: ChatgptFree;
  const ask = (p = provider) => collectChunks(p.createAsyncGenerator({ messages: conversation }));
  const defaults = () => ({
    mode: 'sse' as const,
    page: 'normal' as const,
    lineEnding: '\n' as const,
    badNonceStatus: 403 as const,
    rejectAllNonces: false,
  });

  beforeAll(async () => {
    replica = await createChatgptFreeReplica();
  });
  beforeEach(() => {
    provider = new ChatgptFree({ baseUrl: replica.url });
    Object.assign(replica.state, defaults());
  });
  afterEach(() => replica.clearFaults());
  afterAll(() => replica.close());

  it('has g4f metadata', () => {
    expect(chatgptFree.name).toBe('ChatgptFree');
    expect(chatgptFree.url).toBe('https://chatgptfree.ai');
    expect(chatgptFree.working).toBe(false);
    expect(chatgptFree.models).toEqual(['gpt-4o-mini-2024-07-18']);
    expect(chatgptFree.supportsMessageHistory).toBe(false);
  });

  it('loads the page, then posts the form g4f posted, field by field', async () => {
    const before = replica.calls.length;
    expect(joinText(await ask())).toBe(replica.state.answer);
    const [pageCall, askCall] = replica.calls.slice(before);
    expect(pageCall).toMatchObject({ method: 'GET', path: '/' });
    expect(askCall).toMatchObject({ method: 'POST', path: '/wp-admin/admin-ajax.php' });
    for (const call of [pageCall!, askCall!]) {
      expect(call.headers.authority).toBe(new URL(replica.url).host);
      expect(call.headers.origin).toBe(replica.url);
      expect(call.headers.referer).toBe(`${replica.url}/chat/`);
      expect(call.headers['user-agent']).toContain('Chrome/118.0.0.0');
      expect(call.headers['sec-ch-ua-platform']).toBe('"macOS"');
    }
    expect(askCall!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(askCall!.headers.cookie).toBe('wp_session=replica');
    const form = new URLSearchParams(askCall!.text);
    expect([...form.keys()]).toEqual(['_wpnonce', 'post_id', 'url', 'action', 'message', 'bot_id']);
    expect(Object.fromEntries(form)).toEqual({
      _wpnonce: replica.nonce,
      post_id: replica.postId,
      url: replica.url,
      action: 'wpaicg_chat_shortcode_message',
      message: 'System: Be brief\nUser: Hi & bye?\nAssistant:',
      bot_id: '0',
    });
  });

  it('loads the page once for many asks, and again for a new instance or after a reset', async () => {
    const before = replica.pageLoads();
    await ask();
    await ask();
    await Promise.all([ask(), ask()]);
    expect(replica.pageLoads() - before).toBe(1);
    await ask(new ChatgptFree({ baseUrl: replica.url }));
    provider.resetCache();
    await ask();
    expect(replica.pageLoads() - before).toBe(3);
  });

  it('reads CRLF lines and multi-byte characters split across writes', async () => {
    replica.state.lineEnding = '\r\n';
    replica.state.chunkBytes = 3;
    expect(joinText(await ask())).toBe(replica.state.answer);
    replica.state.chunkBytes = 9;
  });

  it('reads a JSON answer, compact or pretty-printed, and a mix of data lines and JSON', async () => {
    replica.state.mode = 'json';
    expect(await ask()).toEqual([replica.state.answer]);
    replica.state.mode = 'json-pretty';
    expect(await ask()).toEqual([replica.state.answer]);
    replica.state.mode = 'mixed';
    expect(joinText(await ask())).toBe(`Streamed part. ${replica.state.answer}`);
  });

  it('skips data lines with bad JSON and ignores what follows [DONE]', async () => {
    const body = [
      'data: {"choices":[{"delta":{"content":"A"}}]}',
      'data: {broken',
      'data: {"choices":[{"delta":{"content":"B"}}]}',
      'data: [DONE]',
      'data: {"choices":[{"delta":{"content":"never"}}]}',
    ].join('\n\n');
    replica.fail(CHATGPTFREE_ROUTE, {
      kind: 'status',
      status: 200,
      body,
      contentType: 'text/event-stream',
    });
    expect(await ask()).toEqual(['A', 'B']);
  });

  it('raises an error after the text so far when the stream ends without data: [DONE]', async () => {
    const sse = (answer: string) => ({
      kind: 'status' as const,
      status: 200,
      body: answer,
      contentType: 'text/event-stream',
    });
    const a = 'data: {"choices":[{"delta":{"content":"A"}}]}\n\n';
    const b = 'data: {"choices":[{"delta":{"content":"B"}}]}\n\n';
    replica.fail(CHATGPTFREE_ROUTE, sse(`${a}${b}`), { times: 1 });
    const cut = await chunksBeforeFailure(
      provider.createAsyncGenerator({ messages: conversation }),
    );
    expect(cut.chunks).toEqual(['A', 'B']);
    assert(NetworkError.isInstance(cut.error));
    expect(cut.error.message).toContain('[DONE]');
    // A half line after the last newline is a cut too, whatever it holds.
    replica.fail(CHATGPTFREE_ROUTE, sse(`${a}data: {"choices":[{"delta":{"content":"wor`), {
      times: 1,
    });
    const half = await chunksBeforeFailure(
      provider.createAsyncGenerator({ messages: conversation }),
    );
    expect(half.chunks).toEqual(['A']);
    assert(NetworkError.isInstance(half.error));
  });

  it('ends an answer without any content in EmptyAnswerError', async () => {
    for (const body of [
      '',
      'data: {"choices":[{"delta":{"role":"assistant"}}]}\n\ndata: [DONE]\n\n',
      '{"status":"success","msg":"","data":""}',
    ]) {
      replica.fail(CHATGPTFREE_ROUTE, { kind: 'status', status: 200, body }, { times: 1 });
      assert(EmptyAnswerError.isInstance(await failureOf(ask())), `for ${JSON.stringify(body)}`);
    }
    replica.fail(
      CHATGPTFREE_ROUTE,
      { kind: 'status', status: 200, body: 'Something went wrong' },
      { times: 1 },
    );
    const text = await failureOf(ask());
    assert(UnexpectedResponseError.isInstance(text));
    expect(text.message).toContain('Something went wrong');
  });

  it('maps a challenge page served with 200 on the page load to CloudflareError', async () => {
    provider.resetCache();
    replica.fail(CHATGPTFREE_PAGE_ROUTE, { kind: 'cloudflare', status: 200 }, { times: 1 });
    const error = await failureOf(ask());
    assert(CloudflareError.isInstance(error));
    expect(error.status).toBe(200);
  });

  it('follows a same-origin redirect of the page, as a browser would, but not to another origin', async () => {
    provider.resetCache();
    replica.fail(
      CHATGPTFREE_PAGE_ROUTE,
      { kind: 'status', status: 301, headers: { location: '/?lang=en' } },
      { times: 1 },
    );
    expect(joinText(await ask())).toBe(replica.state.answer);
    expect(replica.callsTo(CHATGPTFREE_PAGE_ROUTE).at(-1)!.url.search).toBe('?lang=en');
    provider.resetCache();
    replica.fail(
      CHATGPTFREE_PAGE_ROUTE,
      { kind: 'status', status: 302, headers: { location: 'http://127.0.0.2:9/login' } },
      { times: 1 },
    );
    const error = await failureOf(ask());
    assert(ResponseStatusError.isInstance(error));
    expect(error.status).toBe(302);
    expect(error.message).toContain('http://127.0.0.2:9/login');
  });

  it('ends with UnexpectedResponseError on an error object in a data line', async () => {
    const body =
      'data: {"choices":[{"delta":{"content":"A"}}]}\n\ndata: {"error":{"message":"quota"}}\n\n';
    replica.fail(CHATGPTFREE_ROUTE, {
      kind: 'status',
      status: 200,
      body,
      contentType: 'text/event-stream',
    });
    const error = await failureOf(ask());
    assert(UnexpectedResponseError.isInstance(error));
    expect(error.message).toBe('ChatgptFree stream error: quota');
  });

  it('names the missing post id or nonce', async () => {
    replica.state.page = 'no-post-id';
    const noPost = await failureOf(ask());
    assert(UnexpectedResponseError.isInstance(noPost));
    expect(noPost.message).toMatch(/^No post id found/);
    replica.state.page = 'no-nonce';
    expect(await failureOf(ask())).toHaveProperty(
      'message',
      expect.stringMatching(/^No nonce found/),
    );
    replica.state.page = 'normal';
    expect(joinText(await ask())).toBe(replica.state.answer);
  });

  it('uses an empty nonce once, then loads the page again', async () => {
    replica.state.page = 'empty-nonce';
    const before = replica.pageLoads();
    // The replica refuses an empty nonce; the provider reloads once and gives up clearly.
    expect(MissingAuthError.isInstance(await failureOf(ask()))).toBe(true);
    expect(replica.pageLoads() - before).toBe(2);
    replica.state.page = 'normal';
    expect(joinText(await ask())).toBe(replica.state.answer);
    expect(replica.pageLoads() - before).toBe(3);
  });

  it.each([403, 200] as const)(
    'reloads a rotated nonce (-1 with %i) once and answers',
    async (status) => {
      replica.state.badNonceStatus = status;
      await ask();
      replica.rotateNonce();
      const before = replica.pageLoads();
      expect(joinText(await ask())).toBe(replica.state.answer);
      expect(replica.pageLoads() - before).toBe(1);
    },
  );

  it('gives up with MissingAuthError when even a fresh nonce is refused', async () => {
    replica.state.rejectAllNonces = true;
    const error = await failureOf(ask());
    assert(MissingAuthError.isInstance(error));
    expect(error.message).toContain('-1');
  });

  it('reports WordPress "0" (unknown action) clearly', async () => {
    replica.fail(CHATGPTFREE_ROUTE, { kind: 'status', status: 200, body: '0' });
    const error = await failureOf(ask());
    assert(UnexpectedResponseError.isInstance(error));
    expect(error.message).toContain('unknown action');
  });

  it('reports an AI Power error object instead of an empty answer', async () => {
    replica.fail(CHATGPTFREE_ROUTE, {
      kind: 'status',
      status: 200,
      contentType: 'application/json',
      body: '{"status":"error","msg":"Too many requests"}',
    });
    expect(await failureOf(ask())).toHaveProperty(
      'message',
      'ChatgptFree error: Too many requests',
    );
  });

  it('maps failures of the page load: challenge page and rate limit', async () => {
    replica.fail(CHATGPTFREE_PAGE_ROUTE, { kind: 'cloudflare' }, { times: 1 });
    expect(CloudflareError.isInstance(await failureOf(ask()))).toBe(true);
    replica.fail(
      CHATGPTFREE_PAGE_ROUTE,
      { kind: 'status', status: 429, body: 'slow' },
      { times: 1 },
    );
    expect(RateLimitError.isInstance(await failureOf(ask()))).toBe(true);
    expect(joinText(await ask())).toBe(replica.state.answer);
  });

  it('refuses a 200 challenge page instead of answering nothing', async () => {
    replica.fail(CHATGPTFREE_ROUTE, { kind: 'cloudflare', status: 200 });
    expect(CloudflareError.isInstance(await failureOf(ask()))).toBe(true);
  });
});
