export type { CheckResult, CheckStatus } from './commands/check.js';
export {
  EXIT_INTERRUPTED,
  EXIT_OK,
  EXIT_UPSTREAM,
  EXIT_USAGE,
  errorLine,
  hintFor,
  UsageError,
} from './errors.js';
export { type MainIo, main } from './program.js';
export { PROVIDER_NAMES } from './providers.js';

/** This package's version, stamped at build time. */
export const VERSION: string = __PACKAGE_VERSION__;
