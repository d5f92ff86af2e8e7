import { APICallError, NoSuchModelError, UnsupportedFunctionalityError } from '@ai-sdk/provider';
import { Aura } from '@g4f/aura';
import { ResponseStatusError } from '@g4f/core';
import { failureOf } from '@g4f/testing';
import { Websim } from '@g4f/websim';
import {
  createWebsimReplica,
  ONE_PIXEL_PNG,
  WEBSIM_IMAGE_ROUTE,
  type WebsimReplica,
} from '@g4f/websim/replica';
import { generateImage } from 'ai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createG4F } from './g4f-provider.js';

(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

let replica: WebsimReplica;
let websim: Websim;

beforeAll(async () => {
  replica = await createWebsimReplica();
  websim = new Websim({ baseUrl: replica.url });
});
afterEach(() => replica.clearFaults());
afterAll(async () => {
  await replica?.close();
});

const lastImageBody = () =>
  JSON.parse(replica.callsTo(WEBSIM_IMAGE_ROUTE).at(-1)!.text) as Record<string, unknown>;

describe('generateImage through the image model', () => {
  it("downloads Websim's flux image and hands the bytes to the AI SDK", async () => {
    const g4f = createG4F({ provider: websim });
    const result = await generateImage({
      model: g4f.imageModel('flux'),
      prompt: 'A lighthouse at dusk',
      aspectRatio: '16:9',
    });
    expect(Buffer.from(result.image.uint8Array)).toEqual(ONE_PIXEL_PNG);
    expect(result.image.mediaType).toBe('image/png');
    expect(result.warnings).toEqual([]);
    expect(lastImageBody()).toMatchObject({ prompt: 'A lighthouse at dusk', aspect_ratio: '16:9' });
    expect(result.providerMetadata.g4f?.images).toEqual([
      { provider: 'Websim', revisedPrompt: 'A lighthouse at dusk' },
    ]);
  });

  it('works through a Proxy, as ai 7 wraps models', async () => {
    const model = new Proxy(createG4F({ provider: websim }).imageModel('flux'), {});
    const result = await generateImage({ model, prompt: 'A boat' });
    expect(Buffer.from(result.image.uint8Array)).toEqual(ONE_PIXEL_PNG);
  });

  it('makes one call per image asked for', async () => {
    const g4f = createG4F({ providers: [new Aura({ baseUrl: replica.url }), websim] });
    const before = replica.callsTo(WEBSIM_IMAGE_ROUTE).length;
    const result = await generateImage({ model: g4f.imageModel(), prompt: 'Two boats', n: 2 });
    expect(result.images).toHaveLength(2);
    expect(replica.callsTo(WEBSIM_IMAGE_ROUTE).length - before).toBe(2);
  });

  it('warns for size and seed, which Websim does not send', async () => {
    const g4f = createG4F({ provider: websim });
    const result = await generateImage({
      model: g4f.imageModel('flux'),
      prompt: 'A boat',
      size: '512x512',
      seed: 3,
    });
    expect(result.warnings).toEqual([
      { type: 'unsupported', feature: 'size', details: 'Websim sends no size; it is ignored' },
      { type: 'unsupported', feature: 'seed', details: 'Websim sends no seed; it is ignored' },
    ]);
    expect(lastImageBody()).not.toHaveProperty('size');
  });

  it('refuses image editing with UnsupportedFunctionalityError', async () => {
    const g4f = createG4F({ provider: websim });
    const error = await failureOf(
      generateImage({
        model: g4f.imageModel('flux'),
        prompt: { images: [new Uint8Array([1, 2, 3])], text: 'Make it blue' },
      }),
    );
    expect(UnsupportedFunctionalityError.isInstance(error)).toBe(true);
    expect((error as UnsupportedFunctionalityError).functionality).toBe('image editing (files)');
  });

  it('fails with an APICallError keeping the g4f error when the upstream refuses', async () => {
    replica.fail(WEBSIM_IMAGE_ROUTE, { kind: 'status', status: 400, body: '{"error":"no"}' });
    const g4f = createG4F({ provider: websim });
    const error = await failureOf(
      generateImage({ model: g4f.imageModel('flux'), prompt: 'A boat', maxRetries: 0 }),
    );
    expect(APICallError.isInstance(error)).toBe(true);
    expect(ResponseStatusError.isInstance((error as APICallError).cause)).toBe(true);
  });

  it('has no image model for providers that make no images', () => {
    const g4f = createG4F({ provider: new Aura({ baseUrl: replica.url }) });
    expect(() => g4f.imageModel()).toThrow(NoSuchModelError);
    expect(() => createG4F({ provider: websim }).imageModel('dall-e-9')).toThrow(
      'No image provider serves dall-e-9',
    );
  });
});
