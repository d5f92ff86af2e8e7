import { RateLimitError } from '@g4f/core';
import { describeError } from './errors.js';

/** When to skip a failing provider for a while (LiteLLM-style cooldowns). */
export interface CooldownOptions {
  /** Failures within `windowMs` that start a cooldown. Default 3. */
  failures?: number;
  /** How far back failures count, and how long the cooldown lasts, in ms. Default 60,000. */
  windowMs?: number;
  /** Current time in ms; tests inject a fake clock. Default `Date.now`. */
  now?: () => number;
}

/** One provider's state as `client.health()` reports it. */
export interface ProviderHealthEntry {
  /** g4f name. */
  name: string;
  /** Failures within the window, oldest first. */
  recentFailures: { at: number; error: string }[];
  /** Epoch ms until which the provider is skipped, or `null` when it is not. */
  coolingDownUntil: number | null;
  /** Whether routing would try it now. */
  available: boolean;
}

/** What `client.health()` returns. */
export interface HealthReport {
  /** Epoch ms of the report. */
  now: number;
  /** Whether cooldowns are switched on; without them failures are only reported. */
  cooldownEnabled: boolean;
  providers: ProviderHealthEntry[];
}

interface State {
  failures: { at: number; error: string }[];
  /** Set by a `RateLimitError` that said how long to wait. */
  rateLimitedUntil: number;
}

/**
 * Recent failures per provider name, and the cooldowns they cause. Kept small and
 * synchronous so a shared store (Redis) can replace it later behind the same methods.
 */
export class ProviderHealth {
  readonly enabled: boolean;
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly clock: () => number;
  private readonly states = new Map<string, State>();

  /** `options` `undefined` records failures without ever skipping a provider. */
  constructor(options?: CooldownOptions) {
    this.enabled = options !== undefined;
    this.limit = Math.max(1, options?.failures ?? 3);
    this.windowMs = options?.windowMs ?? 60_000;
    this.clock = options?.now ?? Date.now;
  }

  /** Current time from the injected clock. */
  now(): number {
    return this.clock();
  }

  /** Notes a failure; a rate limit with a known wait cools the provider for that long. */
  recordFailure(name: string, error: unknown): void {
    const at = this.clock();
    const state = this.state(name, at);
    state.failures.push({ at, error: describeError(error) });
    if (state.failures.length > this.limit) state.failures.shift();
    if (RateLimitError.isInstance(error)) {
      const wait = (error as RateLimitError).retryAfterMs;
      if (wait !== undefined) state.rateLimitedUntil = Math.max(state.rateLimitedUntil, at + wait);
    }
  }

  /** Epoch ms until which `name` is skipped, or `null` (always `null` with cooldowns off). */
  coolingDownUntil(name: string): number | null {
    if (!this.enabled) return null;
    const now = this.clock();
    const state = this.state(name, now);
    let until = state.rateLimitedUntil > now ? state.rateLimitedUntil : 0;
    if (state.failures.length >= this.limit) {
      // The window that holds `limit` failures ends `windowMs` after its first one.
      const first = state.failures[state.failures.length - this.limit]!;
      until = Math.max(until, first.at + this.windowMs);
    }
    return until > now ? until : null;
  }

  /** One entry per name, in the order given. */
  report(names: readonly string[]): HealthReport {
    const now = this.clock();
    return {
      now,
      cooldownEnabled: this.enabled,
      providers: names.map((name) => {
        const until = this.coolingDownUntil(name);
        return {
          name,
          recentFailures: this.state(name, now).failures.map((f) => ({ ...f })),
          coolingDownUntil: until,
          available: until === null,
        };
      }),
    };
  }

  private state(name: string, now: number): State {
    let state = this.states.get(name);
    if (!state) {
      state = { failures: [], rateLimitedUntil: 0 };
      this.states.set(name, state);
    }
    while (state.failures.length > 0 && state.failures[0]!.at <= now - this.windowMs) {
      state.failures.shift();
    }
    return state;
  }
}
