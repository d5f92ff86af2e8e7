export {
  createRobocoders,
  RobocodersAPI,
  type RobocodersCredentials,
  type RobocodersSession,
  type RobocodersSettings,
  robocoders,
} from './robocoders.js';

/** This package's version, stamped at build time. */
export const VERSION: string = __PACKAGE_VERSION__;
