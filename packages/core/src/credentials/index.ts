export { type CacheDirContext, resolveCacheDir } from './cache-dir.js';
export { type Credentials, type CredentialsStore, createMemoryStore } from './credentials-store.js';
export {
  CredentialsStoreError,
  type CredentialsStoreErrorKind,
  type CredentialsStoreErrorOptions,
} from './credentials-store-error.js';
export { createFileStore, type FileStore, type FileStoreOptions } from './file-store.js';
