export {
  Aura,
  type AuraOptions,
  type AuraRequestArgs,
  type AuraSettings,
  aura,
  createAura,
} from './aura.js';
export { VERSION } from './version.js';
