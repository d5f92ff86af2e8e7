import type { ProviderMetadata } from '@g4f/core';

/**
 * Every model name a provider lists: its default, models, image models and alias names.
 * This is what it serves for routing, even where its `getModel` would let any name through.
 */
export function servedModels(provider: ProviderMetadata): string[] {
  const names = [
    provider.defaultModel,
    ...provider.models,
    ...provider.imageModels,
    ...Object.keys(provider.modelAliases),
  ];
  return [...new Set(names.filter((name) => name !== ''))];
}
