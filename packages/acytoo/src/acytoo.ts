import {
  BaseProvider,
  type Chunk,
  type CreateOptions,
  type ProviderSettings,
  readTextAnswer,
  validateCreateOptions,
} from '@g4f/core';

/** Options of one Acytoo call. */
export interface AcytooOptions extends CreateOptions {
  /** Sampling temperature sent upstream; default 0.5, as in g4f. */
  temperature?: number;
}

/** Settings of an {@link Acytoo} instance. */
export type AcytooSettings = ProviderSettings;

/** The model name the upstream body always carries; the caller's model is not sent. */
const WIRE_MODEL = 'gpt-3.5-turbo';

/**
 * Acytoo (chat.acytoo.com): posts the conversation as JSON and streams the answer back as raw
 * UTF-8 text. g4f marks it not working since 2023; point `baseUrl` at a mirror or the replica.
 */
export class Acytoo extends BaseProvider<AcytooOptions, AcytooSettings> {
  readonly name = 'Acytoo';
  readonly label = 'Acytoo';
  readonly url = 'https://chat.acytoo.com';
  override readonly working = false;
  override readonly supportsMessageHistory = true;
  override readonly defaultModel = WIRE_MODEL;

  async *createAsyncGenerator(options: AcytooOptions): AsyncGenerator<Chunk, void, undefined> {
    validateCreateOptions(options);
    const body = {
      key: '',
      model: WIRE_MODEL,
      messages: options.messages,
      temperature: options.temperature ?? 0.5,
      password: '',
    };
    const response = await this.request(
      '/api/completions',
      {
        method: 'POST',
        headers: { accept: '*/*', 'content-type': 'application/json' },
        body: JSON.stringify(body),
      },
      options,
    );
    yield* readTextAnswer(response, this.label);
  }
}

/** Builds an {@link Acytoo} provider with the given settings. */
export function createAcytoo(settings: AcytooSettings = {}): Acytoo {
  return new Acytoo(settings);
}

/** A ready default instance talking to the real upstream. */
export const acytoo: Acytoo = createAcytoo();
