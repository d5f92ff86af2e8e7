export { BaseProvider, validateMessages } from './base-provider.js';
export { formatCookies, joinUrl, transportOptions } from './call-options.js';
export type { CreateOptions, Provider, ProviderMetadata, ProviderSettings } from './provider.js';
