import {
  type Chunk,
  InvalidArgumentError,
  MissingAuthError,
  ModelNotSupportedError,
  type Provider,
} from '@g4f/core';
import {
  type ProviderFailure,
  ProvidersCoolingDownError,
  RetryNoProviderError,
  RetryProviderError,
} from './errors.js';
import type { ProviderHealth } from './health.js';
import { servedModels } from './served-models.js';
import type { FallbackCallOptions } from './types.js';

/** Options of every fallback provider. */
export interface FallbackOptions {
  /**
   * Try the providers in a random order (g4f's default, `true`). IterListProvider and
   * RetryProvider shuffle a copy on each call, RotatedProvider once at construction.
   */
  shuffle?: boolean;
  /** Failure record and cooldowns shared with a client; a provider cooling down is skipped. */
  health?: ProviderHealth;
}

/** Options of {@link RetryProvider}. */
export interface RetryProviderOptions extends FallbackOptions {
  /** Call only the first provider, up to `maxRetries` times. */
  singleProviderRetry?: boolean;
  /** Attempts with `singleProviderRetry`; default 3. */
  maxRetries?: number;
}

/** True for chunks that mean "the provider started answering" (g4f `is_content`). */
export function isContent(chunk: Chunk): boolean {
  return typeof chunk === 'string'
    ? chunk.length > 0
    : chunk.type === 'image' || chunk.type === 'tool-calls';
}

function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/**
 * The rules g4f applies when every provider failed: a `MissingAuthError` wins, a single
 * failure is raised unchanged, several become a `RetryProviderError`; no failure and no
 * content is a `RetryNoProviderError` (or, when cooldowns skipped every provider, a
 * `ProvidersCoolingDownError`).
 */
export function allFailedError(
  failures: readonly ProviderFailure[],
  coolingUntil: readonly { name: string; until: number }[] = [],
  now = Date.now(),
): unknown {
  // g4f keeps one error per provider name (the last one), in first-failure order.
  const byName = new Map<string, unknown>();
  for (const { provider, error } of failures) {
    byName.delete(provider);
    byName.set(provider, error);
  }
  const unique = [...byName].map(([provider, error]) => ({ provider, error }));
  const auth = unique.find(({ error }) => MissingAuthError.isInstance(error));
  if (auth) return auth.error;
  if (unique.length === 1) return unique[0]!.error;
  if (unique.length > 1) return new RetryProviderError(unique);
  if (coolingUntil.length > 0) {
    const soonest = Math.min(...coolingUntil.map(({ until }) => until));
    const list = coolingUntil.map(({ name, until }) => `${name} for ${until - now} ms`).join(', ');
    return new ProvidersCoolingDownError(
      `Every provider is cooling down after recent failures: ${list}`,
      Math.max(0, soonest - now),
    );
  }
  return new RetryNoProviderError('No content response from any provider. ');
}

/**
 * What the three fallback providers share: metadata merged from their providers, and the
 * attempt loop. A subclass only decides the order of attempts for one call.
 */
export abstract class FallbackProvider implements Provider<FallbackCallOptions> {
  abstract readonly name: string;
  readonly url = '';
  readonly working = true;
  readonly needsAuth = false;
  readonly supportsStream = true;
  readonly supportsSystemMessage: boolean;
  readonly supportsMessageHistory: boolean;
  readonly defaultModel: string;
  readonly models: readonly string[];
  readonly modelAliases: Readonly<Record<string, string>>;
  readonly imageModels: readonly string[];
  /** The providers, in the order given. */
  readonly providers: readonly Provider[];
  protected readonly shuffle: boolean;
  protected readonly health: ProviderHealth | undefined;

  constructor(providers: readonly Provider[], options: FallbackOptions = {}) {
    if (providers.length === 0)
      throw new InvalidArgumentError('a fallback needs at least one provider');
    this.providers = [...providers];
    this.shuffle = options.shuffle ?? true;
    this.health = options.health;
    this.supportsSystemMessage = providers.every((p) => p.supportsSystemMessage);
    this.supportsMessageHistory = providers.every((p) => p.supportsMessageHistory);
    this.defaultModel = providers[0]!.defaultModel;
    this.models = [
      ...new Set(providers.flatMap((p) => [p.defaultModel, ...p.models].filter(Boolean))),
    ];
    this.imageModels = [...new Set(providers.flatMap((p) => p.imageModels))];
    const aliases: Record<string, string> = {};
    for (const p of [...providers].reverse()) Object.assign(aliases, p.modelAliases);
    this.modelAliases = aliases;
  }

  /** Names of the providers joined, as g4f labels a list. */
  get label(): string {
    return `${this.name}(${this.providers.map((p) => p.name).join(', ')})`;
  }

  /** Empty → the first provider's default; a listed name or alias → itself; else an error. */
  getModel(name?: string): string {
    if (!name) return this.defaultModel;
    if (this.providers.some((p) => servedModels(p).includes(name))) return name;
    throw new ModelNotSupportedError(name, this.label, [
      ...new Set(this.providers.flatMap(servedModels)),
    ]);
  }

  /** The providers to try for one call, in order; a provider may appear more than once. */
  protected abstract attempts(): Iterable<Provider>;

  /**
   * Tries the providers until one starts answering, then hands its generator's chunks on
   * directly: after the first content there is no per-chunk work of the fallback's own
   * besides noting a failure.
   */
  createAsyncGenerator(options: FallbackCallOptions): AsyncGenerator<Chunk, void, undefined> {
    const { signal } = options;
    const health = this.health ?? options.health;
    const search = this.search(options, health);
    let live: { answer: AsyncGenerator<Chunk, void, undefined>; name: string } | undefined;
    const failed = (error: unknown): never => {
      // The caller's abort reason wins over whatever the provider made of it.
      if (signal?.aborted) throw signal.reason;
      health?.recordFailure(live!.name, error);
      throw error;
    };
    const start = async (): Promise<IteratorResult<Chunk, void>> => {
      const step = await search.next();
      if (!step.done) return step;
      if (!step.value) return { done: true, value: undefined };
      live = step.value;
      return live.answer.next().then(undefined, failed);
    };
    // Not an async function: once a provider answers, each chunk costs one promise, not the
    // extra turns an async wrapper around a returned promise takes.
    const next = (): Promise<IteratorResult<Chunk, void>> =>
      live ? live.answer.next().then(undefined, failed) : start();
    const generator: AsyncGenerator<Chunk, void, undefined> = {
      next,
      // Leaving early (the caller's break or close) ends the provider and its socket.
      return: async () => {
        await (live ? live.answer.return() : search.return(undefined));
        return { done: true, value: undefined };
      },
      throw: async (error: unknown) => {
        await generator.return();
        throw error;
      },
      [Symbol.asyncIterator]: () => generator,
    };
    return generator;
  }

  /**
   * The attempt loop: yields the chunks of the first provider that sends content, up to and
   * including its first content, and returns its generator to read on; returns nothing when
   * every provider failed (after throwing the all-fail error).
   */
  private async *search(
    options: FallbackCallOptions,
    health: ProviderHealth | undefined,
  ): AsyncGenerator<
    Chunk,
    { answer: AsyncGenerator<Chunk, void, undefined>; name: string } | undefined,
    undefined
  > {
    const { signal } = options;
    const failures: ProviderFailure[] = [];
    const cooling: { name: string; until: number }[] = [];
    for (const provider of this.attempts()) {
      signal?.throwIfAborted();
      const until = health?.coolingDownUntil(provider.name) ?? null;
      if (until !== null) {
        cooling.push({ name: provider.name, until });
        continue;
      }
      let answer: AsyncGenerator<Chunk, void, undefined> | undefined;
      let handedOver = false;
      try {
        // A nested fallback resolves the model per provider itself.
        const model =
          provider instanceof FallbackProvider
            ? (options.model ?? '')
            : provider.getModel(options.model);
        options.onProvider?.({ name: provider.name, label: provider.label, model });
        // Chunks before the first content (a finish reason) wait: if no content follows,
        // this provider counts as not started and they must not leak into the answer.
        const held: Chunk[] = [];
        answer = provider.createAsyncGenerator({ ...options, model });
        for (let next = await answer.next(); !next.done; next = await answer.next()) {
          if (!isContent(next.value)) {
            held.push(next.value);
            continue;
          }
          for (const early of held) yield early;
          yield next.value;
          handedOver = true;
          return { answer, name: provider.name };
        }
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        health?.recordFailure(provider.name, error);
        failures.push({ provider: provider.name, error });
      } finally {
        // Left before the hand-over (the caller's break, or a failure): end the provider.
        if (answer && !handedOver) await answer.return();
      }
    }
    throw allFailedError(failures, cooling, health?.now());
  }
}

/** Tries each provider in turn until one answers (g4f `IterListProvider`). */
export class IterListProvider extends FallbackProvider {
  readonly name: string = 'IterListProvider';
  protected attempts(): Iterable<Provider> {
    return this.shuffle ? shuffled(this.providers) : this.providers;
  }
}

/**
 * IterListProvider, or with `singleProviderRetry` the first provider up to `maxRetries`
 * times (g4f `RetryProvider`).
 */
export class RetryProvider extends FallbackProvider {
  readonly name: string = 'RetryProvider';
  private readonly singleProviderRetry: boolean;
  private readonly maxRetries: number;

  constructor(providers: readonly Provider[], options: RetryProviderOptions = {}) {
    super(providers, options);
    this.singleProviderRetry = options.singleProviderRetry ?? false;
    this.maxRetries = Math.max(1, options.maxRetries ?? 3);
  }

  protected attempts(): Iterable<Provider> {
    const order = this.shuffle ? shuffled(this.providers) : this.providers;
    if (!this.singleProviderRetry) return order;
    return Array.from({ length: this.maxRetries }, () => order[0]!);
  }
}

/**
 * Round robin across calls: each attempt takes the next provider, so consecutive calls
 * start with different providers (g4f `RotatedProvider`). Shuffles once at construction.
 */
export class RotatedProvider extends FallbackProvider {
  readonly name: string = 'RotatedProvider';
  private readonly ring: readonly Provider[];
  private index = 0;

  constructor(providers: readonly Provider[], options: FallbackOptions = {}) {
    super(providers, options);
    this.ring = this.shuffle ? shuffled(this.providers) : this.providers;
  }

  protected *attempts(): Iterable<Provider> {
    for (let i = 0; i < this.ring.length; i++) {
      const provider = this.ring[this.index % this.ring.length]!;
      this.index = (this.index + 1) % this.ring.length;
      yield provider;
    }
  }
}
