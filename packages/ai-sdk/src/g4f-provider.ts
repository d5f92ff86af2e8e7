import { NoSuchModelError, type ProviderV3 } from '@ai-sdk/provider';
import { Client, type ClientOptions, servedModels } from '@g4f/client';
import { InvalidArgumentError, ModelNotSupportedError, type Provider } from '@g4f/core';
import { type G4FCallSetting, SETTINGS_SENT } from './call-settings.js';
import { G4FImageModel } from './g4f-image-model.js';
import { G4FLanguageModel } from './g4f-language-model.js';
import type { G4FModelConfig } from './g4f-model-config.js';

/** Options every form of {@link createG4F} takes; they go to the underlying `@g4f/client`. */
export interface G4FCommonSettings
  extends Pick<ClientOptions, 'proxy' | 'timeout' | 'cooldown' | 'shuffle' | 'maxImageBytes'> {
  /**
   * Which settings (`temperature`, `aspectRatio`, `size`, `seed`) each provider sends
   * upstream, by g4f name, on top of the built-in table (Acytoo and Aura send `temperature`,
   * Websim `aspectRatio`). A set setting no candidate sends comes back as a warning.
   */
  settingsSent?: Readonly<Record<string, readonly G4FCallSetting[]>>;
}

/** `createG4F({ provider })`: every call goes to this provider (which may be a fallback). */
export interface G4FSingleProviderSettings extends G4FCommonSettings {
  provider: Provider;
  providers?: undefined;
  imageProvider?: undefined;
}

/** `createG4F({ providers })`: calls are routed by model across these, as `@g4f/client` does. */
export interface G4FRoutedProviderSettings extends G4FCommonSettings {
  providers: readonly Provider[];
  provider?: undefined;
  /** Provider for image calls (instance, g4f name or label); otherwise routing by model. */
  imageProvider?: Provider | string;
}

/** Settings of {@link createG4F}: one provider, or several routed by model. */
export type G4FProviderSettings = G4FSingleProviderSettings | G4FRoutedProviderSettings;

/** The AI SDK provider `createG4F` returns; calling it is the same as `languageModel`. */
export interface G4FProvider extends ProviderV3 {
  /** A language model; an empty or missing id uses each provider's default model. */
  (modelId?: string): G4FLanguageModel;
  /** A language model; an empty or missing id uses each provider's default model. */
  languageModel(modelId?: string): G4FLanguageModel;
  /** An image model for `generateImage`; an empty or missing id uses the provider's first image model. */
  imageModel(modelId?: string): G4FImageModel;
  /** g4f has no embedding models: always throws `NoSuchModelError`. */
  embeddingModel(modelId: string): never;
  /** The `@g4f/client` every call goes through, e.g. for `client.health()`. */
  readonly client: Client;
}

function noSuchModel(
  modelId: string,
  modelType: 'languageModel' | 'imageModel' | 'embeddingModel',
  message: string,
  cause?: unknown,
): NoSuchModelError {
  const error = new NoSuchModelError({ modelId, modelType, message });
  // NoSuchModelError takes no cause; the g4f error is kept all the same.
  if (cause !== undefined) Object.defineProperty(error, 'cause', { value: cause });
  return error;
}

/** The providers a name refers to: g4f name, then label, then space-separated names. */
function lookup(providers: readonly Provider[], name: string): Provider[] {
  const found = providers.find((p) => p.name === name) ?? providers.find((p) => p.label === name);
  if (found) return [found];
  const names = name.trim().split(/\s+/).filter(Boolean);
  if (names.length > 1) return names.flatMap((n) => lookup(providers, n));
  return [];
}

/**
 * Makes g4f providers usable from the Vercel AI SDK (`generateText`, `streamText`,
 * `generateImage`). `createG4F({ provider })` sends every call to that provider;
 * `createG4F({ providers })` routes each call by model across them and falls back when one
 * fails before answering, exactly as `@g4f/client` does.
 */
export function createG4F(settings: G4FProviderSettings): G4FProvider {
  const single = settings.provider;
  if (single === undefined && !Array.isArray(settings.providers)) {
    throw new InvalidArgumentError('createG4F needs a provider or a list of providers');
  }
  if (single !== undefined && settings.providers !== undefined) {
    throw new InvalidArgumentError('createG4F takes a provider or providers, not both');
  }
  const providers: readonly Provider[] = single ? [single] : [...(settings.providers ?? [])];
  const imageProvider = settings.provider ?? settings.imageProvider;
  const client = new Client({
    providers,
    provider: single,
    imageProvider,
    proxy: settings.proxy,
    timeout: settings.timeout,
    cooldown: settings.cooldown,
    shuffle: settings.shuffle,
    maxImageBytes: settings.maxImageBytes,
  });
  const served = (modelId: string) => providers.filter((p) => servedModels(p).includes(modelId));

  const config: G4FModelConfig = {
    client,
    settingsSent: { ...SETTINGS_SENT, ...settings.settingsSent },
    chatCandidates(modelId, named) {
      if (named !== undefined) return lookup(providers, named);
      if (single) return [single];
      return modelId ? served(modelId) : [...providers];
    },
    imageCandidates(modelId, named) {
      if (named !== undefined) return lookup(providers, named);
      if (imageProvider !== undefined) {
        return typeof imageProvider === 'string'
          ? lookup(providers, imageProvider)
          : [imageProvider];
      }
      return modelId ? served(modelId) : providers.filter((p) => p.imageModels.length > 0);
    },
    url(named) {
      const candidates = named !== undefined ? lookup(providers, named) : single ? [single] : [];
      return candidates[0]?.url || 'g4f';
    },
  };

  const onOffer = () => client.models.list().data.map((m) => m.id);
  const languageModel = (modelId = ''): G4FLanguageModel => {
    if (single) {
      try {
        single.getModel(modelId);
      } catch (error) {
        if (!ModelNotSupportedError.isInstance(error)) throw error;
        throw noSuchModel(modelId, 'languageModel', (error as Error).message, error);
      }
    } else if (modelId !== '' && served(modelId).length === 0) {
      throw noSuchModel(
        modelId,
        'languageModel',
        `No provider serves ${modelId}. On offer: ${onOffer().join(', ')}`,
      );
    }
    return new G4FLanguageModel(modelId, config);
  };
  const imageModel = (modelId = ''): G4FImageModel => {
    const candidates = config.imageCandidates(modelId, undefined);
    const makesImages = candidates.some((p) => p.imageModels.length > 0);
    if (
      !makesImages ||
      (modelId !== '' && !candidates.some((p) => servedModels(p).includes(modelId)))
    ) {
      throw noSuchModel(
        modelId,
        'imageModel',
        modelId === ''
          ? `None of ${providers.map((p) => p.name).join(', ')} makes images`
          : `No image provider serves ${modelId}`,
      );
    }
    return new G4FImageModel(modelId, config);
  };
  const provider = (modelId?: string) => languageModel(modelId);
  return Object.assign(provider, {
    specificationVersion: 'v3' as const,
    languageModel,
    imageModel,
    embeddingModel(modelId: string): never {
      throw noSuchModel(modelId, 'embeddingModel', 'g4f providers have no embedding models');
    },
    client,
  });
}
