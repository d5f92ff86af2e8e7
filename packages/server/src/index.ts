export { type App, createApp } from './app.js';
export type { JsonObject, ServerClient } from './client-shape.js';
export { type ErrorType, HttpError, type JsonErrorBody, toHttpError } from './http-error.js';
export type { ServerMetrics } from './metrics.js';
export type { AppOptions, RequestLogEntry, ServerOptions } from './options.js';
export { type RunningServer, startServer } from './server.js';

/** This package's version, stamped at build time. */
export const VERSION: string = __PACKAGE_VERSION__;
