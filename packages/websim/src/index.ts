export { VERSION } from './version.js';
export { createWebsim, Websim, type WebsimOptions, type WebsimSettings, websim } from './websim.js';
