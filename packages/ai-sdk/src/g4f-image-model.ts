import {
  type ImageModelV3,
  type ImageModelV3CallOptions,
  type SharedV3Warning,
  UnsupportedFunctionalityError,
} from '@ai-sdk/provider';
import type { ImageGenerateParams, ImagesResponse } from '@g4f/client';
import { checkSettings, setsHeaders } from './call-settings.js';
import type { G4FModelConfig } from './g4f-model-config.js';
import { mapG4FError } from './map-g4f-error.js';

type ImageModelResult = Awaited<ReturnType<ImageModelV3['doGenerate']>>;

/**
 * A g4f image provider as an AI SDK `ImageModelV3` (for `generateImage`). The client calls
 * the provider with g4f's image message and downloads each image (size cap, `image/*` type
 * check), so the AI SDK gets base64 data.
 */
export class G4FImageModel implements ImageModelV3 {
  readonly specificationVersion = 'v3' as const;
  readonly provider = 'g4f.image';
  /** The image model asked for; empty means each provider's first image model. */
  readonly modelId: string;
  /** A g4f image call makes one image; the AI SDK makes one call per image asked for. */
  readonly maxImagesPerCall = 1;

  // TypeScript-private, not `#config`: ai 7 wraps models in a Proxy, and `#` fields cannot
  // be read through one (found by the ai 7 smoke test).
  private readonly config: G4FModelConfig;

  /** @internal Built by `createG4F`. */
  constructor(modelId: string, config: G4FModelConfig) {
    this.modelId = modelId;
    this.config = config;
  }

  async doGenerate(options: ImageModelV3CallOptions): Promise<ImageModelResult> {
    if (options.files !== undefined && options.files.length > 0) {
      throw new UnsupportedFunctionalityError({
        functionality: 'image editing (files)',
        message: 'g4f image providers make new images only; input files are not supported',
      });
    }
    if (options.mask !== undefined) {
      throw new UnsupportedFunctionalityError({
        functionality: 'image editing (mask)',
        message: 'g4f image providers make new images only; a mask is not supported',
      });
    }
    if (options.prompt === undefined || options.prompt.trim() === '') {
      throw new UnsupportedFunctionalityError({
        functionality: 'image generation without a prompt',
      });
    }
    const g4fOptions: Record<string, unknown> = { ...options.providerOptions?.g4f };
    const named = typeof g4fOptions.provider === 'string' ? g4fOptions.provider : undefined;
    const candidates = this.config.imageCandidates(this.modelId, named);
    const checked = checkSettings(
      candidates,
      { aspectRatio: options.aspectRatio, size: options.size, seed: options.seed },
      this.config.settingsSent,
    );
    const warnings: SharedV3Warning[] = [...checked.warnings];
    if (setsHeaders(options.headers)) {
      warnings.push({
        type: 'unsupported',
        feature: 'headers',
        details: 'set headers in the provider instance settings instead',
      });
    }
    const params: ImageGenerateParams = {
      ...g4fOptions,
      ...checked.options,
      prompt: options.prompt,
      response_format: 'b64_json',
      signal: options.abortSignal,
    };
    if (this.modelId !== '') params.model = this.modelId;
    else delete params.model;
    let result: ImagesResponse;
    try {
      result = await this.config.client.images.generate(params);
    } catch (error) {
      throw mapG4FError(
        error,
        {
          url: this.config.url(named),
          requestBodyValues: { model: params.model, prompt: params.prompt },
        },
        options.abortSignal,
      );
    }
    const images = result.data.map((image) => {
      // The client downloads every image for `b64_json`; an image without data would be a
      // silent wrong answer, so it is an error instead.
      if (image.b64_json === undefined) {
        throw new UnsupportedFunctionalityError({ functionality: 'images without data' });
      }
      return image.b64_json;
    });
    return {
      images,
      warnings,
      providerMetadata: {
        // The AI SDK keeps only `images` when it merges the calls of one `generateImage`, so
        // who answered is told per image.
        g4f: {
          images: result.data.map((image) => ({
            provider: result.provider,
            revisedPrompt: image.revised_prompt ?? null,
          })),
        },
      },
      response: {
        timestamp: new Date(result.created * 1000),
        modelId: result.model,
        headers: undefined,
      },
    };
  }
}
