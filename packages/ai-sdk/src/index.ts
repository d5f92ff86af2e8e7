export { type G4FCallSetting, SETTINGS_SENT } from './call-settings.js';
export { convertToG4FMessages } from './convert-to-g4f-messages.js';
export { G4FImageModel } from './g4f-image-model.js';
export { G4FLanguageModel } from './g4f-language-model.js';
export {
  createG4F,
  type G4FCommonSettings,
  type G4FProvider,
  type G4FProviderSettings,
  type G4FRoutedProviderSettings,
  type G4FSingleProviderSettings,
} from './g4f-provider.js';
export { mapG4FError } from './map-g4f-error.js';

/** This package's version, stamped at build time. */
export const VERSION: string = __PACKAGE_VERSION__;
