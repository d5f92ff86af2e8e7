export { type App, createApp } from './app.js';
export type { JsonObject, ServerClient } from './client-shape.js';
export { type ErrorType, HttpError, type JsonErrorBody, toHttpError } from './http-error.js';
export type { ServerMetrics } from './metrics.js';
export type { AppOptions, RequestLogEntry, ServerOptions } from './options.js';
export { type RunningServer, startServer } from './server.js';
export { VERSION } from './version.js';
