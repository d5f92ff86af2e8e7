export {
  BaseProvider,
  type CallTransport,
  type ProviderRequestInit,
  validateCreateOptions,
} from './base-provider.js';
export { cookieHeader, formatCookies, parseSetCookie } from './call-options.js';
export type { CreateOptions, Provider, ProviderMetadata, ProviderSettings } from './provider.js';
export { SharedStep, type SharedStepOptions, type SharedStepWait } from './shared-step.js';
