import type { Client } from '@g4f/client';
import type { ProviderMetadata } from '@g4f/core';

/** A JSON object the server builds or passes through. */
export type JsonObject = { [key: string]: unknown };

/**
 * The part of `@g4f/client`'s `Client` the server uses. `providers` is read when the client
 * exposes its list; otherwise pass `providers` in the server options.
 */
export type ServerClient = Pick<Client, 'chat' | 'images' | 'models' | 'health'> & {
  readonly providers?: readonly ProviderMetadata[];
};
