export {
  Aura,
  type AuraOptions,
  type AuraRequestArgs,
  type AuraSettings,
  aura,
  createAura,
} from './aura.js';

/** This package's version, stamped at build time. */
export const VERSION: string = __PACKAGE_VERSION__;
