import type { ProviderMetadata } from '@g4f/core';

/** A JSON object the server passes through as the client shaped it. */
export type JsonObject = { [key: string]: unknown };

/** What the server hands to `client.chat.completions.create`. */
export interface ChatCallParams {
  model?: string;
  messages: { role: 'system' | 'user' | 'assistant'; content: string }[];
  stream?: boolean;
  provider?: string;
  temperature?: number;
  max_tokens?: number;
  stop?: string | string[];
  signal: AbortSignal;
  proxy?: string;
  [providerOption: string]: unknown;
}

/** What the server hands to `client.images.generate`. */
export interface ImageCallParams {
  prompt: string;
  model?: string;
  provider?: string;
  response_format?: 'url' | 'b64_json';
  n?: number;
  size?: string;
  signal: AbortSignal;
  proxy?: string;
  [providerOption: string]: unknown;
}

/** One provider's entry in the client's health report. */
export interface ProviderHealthShape {
  name: string;
  recentFailures: readonly { at: number; error: string }[];
  coolingDownUntil: number | null;
  available: boolean;
}

/**
 * The part of `@g4f/client`'s `Client` the server uses, written structurally so any object of
 * that shape (another client version, a wrapper) can be served.
 */
export interface ServerClient {
  chat: {
    completions: {
      create(params: ChatCallParams): Promise<JsonObject | AsyncIterable<JsonObject>>;
    };
  };
  images: { generate(params: ImageCallParams): Promise<JsonObject> };
  models: { list(): Promise<{ data: readonly JsonObject[] }> | { data: readonly JsonObject[] } };
  /** The providers handed to the client, in order; listed by `/v1/providers`. */
  readonly providers?: readonly ProviderMetadata[];
  health?(): { providers: readonly ProviderHealthShape[] };
}
