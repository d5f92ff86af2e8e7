import type { Chunk } from '../chunks.js';
import { ModelNotSupportedError } from '../errors/model-not-supported-error.js';
import { InvalidArgumentError } from '../errors/simple-errors.js';
import type { Messages } from '../messages.js';
import type { CreateOptions, Provider } from './provider.js';

const ROLES = new Set(['system', 'user', 'assistant']);

/**
 * Base class giving g4f's `ProviderModelMixin` behaviour: `getModel` resolves aliases and the
 * default, and lists the known models when a name is unknown. Subclasses set the metadata.
 */
export abstract class BaseProvider<Options extends CreateOptions = CreateOptions>
  implements Provider<Options>
{
  abstract readonly name: string;
  abstract readonly label: string;
  abstract readonly url: string;
  readonly working: boolean = false;
  readonly needsAuth: boolean = false;
  readonly supportsStream: boolean = true;
  readonly supportsSystemMessage: boolean = false;
  readonly supportsMessageHistory: boolean = false;
  readonly defaultModel: string = '';
  readonly models: readonly string[] = [];
  readonly modelAliases: Readonly<Record<string, string>> = {};
  readonly imageModels: readonly string[] = [];

  getModel(name?: string): string {
    if (!name) return this.defaultModel;
    const alias = this.modelAliases[name];
    if (alias !== undefined) return alias;
    const known = this.models.length > 0 ? this.models : [this.defaultModel];
    if (known.includes(name) || this.imageModels.includes(name)) return name;
    if (this.models.length === 0 && this.imageModels.length === 0) return name;
    throw new ModelNotSupportedError(name, this.label, [
      ...new Set([...known, ...this.imageModels, ...Object.keys(this.modelAliases)]),
    ]);
  }

  abstract createAsyncGenerator(options: Options): AsyncGenerator<Chunk, void, undefined>;
}

/**
 * Checks that `messages` is a non-empty list of `{ role, content }` with a known role and
 * string content, so a bad call fails before any request is sent.
 */
export function validateMessages(messages: unknown): asserts messages is Messages {
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new InvalidArgumentError('messages must be a non-empty array');
  }
  messages.forEach((message: unknown, index) => {
    const m = message as { role?: unknown; content?: unknown } | null;
    if (typeof m !== 'object' || m === null || !ROLES.has(m.role as string)) {
      throw new InvalidArgumentError(
        `messages[${index}].role must be one of system, user, assistant`,
      );
    }
    if (typeof m.content !== 'string') {
      throw new InvalidArgumentError(`messages[${index}].content must be a string`);
    }
  });
}
