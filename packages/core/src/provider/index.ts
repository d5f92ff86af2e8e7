export { BaseProvider, validateMessages } from './base-provider.js';
export type { CreateOptions, Provider, ProviderMetadata, ProviderSettings } from './provider.js';
