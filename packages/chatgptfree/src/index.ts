export {
  ChatgptFree,
  type ChatgptFreeOptions,
  type ChatgptFreeSettings,
  chatgptFree,
  createChatgptFree,
} from './chatgptfree.js';

/** This package's version, stamped at build time. */
export const VERSION: string = __PACKAGE_VERSION__;
