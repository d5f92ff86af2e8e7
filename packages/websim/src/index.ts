/** This package's version, stamped at build time. */
export const VERSION: string = __PACKAGE_VERSION__;
export { createWebsim, Websim, type WebsimOptions, type WebsimSettings, websim } from './websim.js';
