export { Acytoo, type AcytooOptions, type AcytooSettings, acytoo, createAcytoo } from './acytoo.js';
export { VERSION } from './version.js';
