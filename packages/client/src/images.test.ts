import { Acytoo } from '@g4f/acytoo';
import { type AcytooReplica, createAcytooReplica } from '@g4f/acytoo/replica';
import {
  BaseProvider,
  type Chunk,
  type CreateOptions,
  ImageResponse,
  ModelNotSupportedError,
  type ResponseStatusError,
  UnexpectedResponseError,
} from '@g4f/core';
import { failureOf } from '@g4f/core/conformance';
import { createReplicaServer, type ReplicaServer } from '@g4f/core/replica';
import { Websim } from '@g4f/websim';
import {
  createWebsimReplica,
  ONE_PIXEL_PNG,
  WEBSIM_IMAGE_ROUTE,
  type WebsimReplica,
} from '@g4f/websim/replica';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from './client.js';
import { NoMediaResponseError } from './errors.js';

/**
 * A provider whose image URLs point at `files`, a real loopback server: for the download
 * checks (content type, size cap) that no replica's own image route would fail.
 */
class LinkProvider extends BaseProvider {
  readonly name = 'LinkProvider';
  readonly label = 'Link provider';
  readonly url = 'http://127.0.0.1';
  override readonly defaultModel = 'links';
  override readonly imageModels = ['links'];
  constructor(private readonly urls: string[]) {
    super();
  }
  async *createAsyncGenerator(_options: CreateOptions): AsyncGenerator<Chunk, void, undefined> {
    yield new ImageResponse(this.urls, 'linked');
  }
}

let websimReplica: WebsimReplica;
let acytooReplica: AcytooReplica;
let files: ReplicaServer;
let websim: Websim;

beforeAll(async () => {
  [websimReplica, acytooReplica, files] = await Promise.all([
    createWebsimReplica(),
    createAcytooReplica({ chunkDelayMs: 0 }),
    createReplicaServer({
      routes: {
        'GET /page.png': () => ({
          headers: { 'content-type': 'text/html' },
          body: '<html></html>',
        }),
        'GET /big.png': () => ({
          headers: { 'content-type': 'image/png' },
          body: (async function* () {
            for (let i = 0; i < 64; i++) yield Buffer.alloc(16 * 1024, 1);
          })(),
        }),
        'GET /gone.png': () => ({ status: 404, body: 'missing' }),
      },
    }),
  ]);
  websim = new Websim({ baseUrl: websimReplica.url });
});
afterAll(async () => {
  await Promise.all([websimReplica, acytooReplica, files].map((r) => r?.close()));
});

describe('images.generate', () => {
  it('returns the provider URLs, with g4f image message and prompt sent', async () => {
    const client = new Client({ providers: [new Acytoo({ baseUrl: acytooReplica.url }), websim] });
    const result = await client.images.generate({ prompt: 'A lighthouse', aspectRatio: '16:9' });
    expect(result).toEqual({
      created: expect.any(Number),
      model: 'flux',
      provider: 'Websim',
      data: [
        {
          url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/images\/.+\.png$/),
          revised_prompt: 'A lighthouse',
        },
      ],
    });
    const sent = JSON.parse(websimReplica.callsTo(WEBSIM_IMAGE_ROUTE).at(-1)!.text) as Record<
      string,
      unknown
    >;
    expect(sent.prompt).toBe('A lighthouse');
    expect(sent.aspect_ratio).toBe('16:9');
  });

  it('downloads b64_json through undici', async () => {
    const client = new Client({ providers: [websim] });
    const result = await client.images.generate({
      prompt: 'A lighthouse',
      model: 'flux',
      response_format: 'b64_json',
    });
    expect(result.data).toEqual([
      { b64_json: ONE_PIXEL_PNG.toString('base64'), revised_prompt: 'A lighthouse' },
    ]);
  });

  it('decodes data: URLs for b64_json', async () => {
    const png = ONE_PIXEL_PNG.toString('base64');
    const client = new Client({ providers: [new LinkProvider([`data:image/png;base64,${png}`])] });
    const result = await client.images.generate({ prompt: 'x', response_format: 'b64_json' });
    expect(result.data[0]!.b64_json).toBe(png);
  });

  it('refuses a download that is not an image', async () => {
    const client = new Client({ providers: [new LinkProvider([`${files.url}/page.png`])] });
    const error = await failureOf(
      client.images.generate({ prompt: 'x', response_format: 'b64_json' }),
    );
    expect(UnexpectedResponseError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('text/html');
  });

  it('stops reading past the size cap and closes the socket', async () => {
    const client = new Client({
      providers: [new LinkProvider([`${files.url}/big.png`])],
      maxImageBytes: 100_000,
    });
    const error = await failureOf(
      client.images.generate({ prompt: 'x', response_format: 'b64_json' }),
    );
    expect(UnexpectedResponseError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('larger than 100000 bytes');
    const call = files.callsTo('GET /big.png').at(-1)!;
    await files.waitFor(() => call.closedEarly);
  });

  it('raises the status of a failed download', async () => {
    const client = new Client({ providers: [new LinkProvider([`${files.url}/gone.png`])] });
    const error = await failureOf(
      client.images.generate({ prompt: 'x', response_format: 'b64_json' }),
    );
    expect((error as ResponseStatusError).status).toBe(404);
  });

  it('raises NoMediaResponseError when the provider answers without an image', async () => {
    const client = new Client({ providers: [websim] });
    const error = await failureOf(
      client.images.generate({ prompt: 'x', provider: 'Websim', model: 'gemini-2.5-pro' }),
    );
    expect(NoMediaResponseError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe('No media response from Websim');
  });

  it('falls back to the next image provider when one fails', async () => {
    websimReplica.fail(
      WEBSIM_IMAGE_ROUTE,
      { kind: 'status', status: 500, body: 'x' },
      { times: 1 },
    );
    const client = new Client({
      providers: [websim, new LinkProvider(['https://example.test/a.png'])],
    });
    const result = await client.images.generate({ prompt: 'x' });
    expect(result.provider).toBe('LinkProvider');
    expect(client.health().providers[0]!.recentFailures).toHaveLength(1);
  });

  it('names the models on offer for an unknown model', async () => {
    const client = new Client({ providers: [websim] });
    const error = await failureOf(client.images.generate({ prompt: 'x', model: 'dall-e-9' }));
    expect(ModelNotSupportedError.isInstance(error)).toBe(true);
  });
});
