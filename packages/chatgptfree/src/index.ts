export {
  ChatgptFree,
  type ChatgptFreeOptions,
  type ChatgptFreeSettings,
  chatgptFree,
  createChatgptFree,
} from './chatgptfree.js';
export { VERSION } from './version.js';
