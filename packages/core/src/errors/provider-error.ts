const marker = Symbol.for('g4f.error');

type Branded = { [marker]?: readonly string[] };

/** Options shared by every g4f error. */
export interface ProviderErrorOptions {
  /** The underlying error, kept for debugging. */
  cause?: unknown;
  /** Whether the same request may succeed if sent again. */
  isRetryable?: boolean;
}

/** Any error class of this library: `ProviderError` or a subclass, whatever its constructor. */
export type ProviderErrorClass = (abstract new (
  ...args: never[]
) => ProviderError) &
  Pick<typeof ProviderError, 'errorName' | 'isInstance'>;

/**
 * Base class of every error this library throws on purpose.
 *
 * `instanceof` fails across two copies of `@g4f/core` (two versions, or the ESM and CJS
 * builds loaded side by side), so each instance carries a `Symbol.for` brand listing its
 * class chain, and `isInstance` reads that brand instead.
 */
export class ProviderError extends Error {
  /** Stable name of the class, also used as `name` of its instances. */
  static readonly errorName: string = 'ProviderError';

  /** Whether the same request may succeed if sent again. */
  readonly isRetryable: boolean;

  constructor(message: string, options: ProviderErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    const names: string[] = [];
    for (
      let c: unknown = new.target;
      typeof c === 'function' && c !== Error;
      c = Object.getPrototypeOf(c)
    ) {
      const name = (c as { errorName?: string }).errorName;
      if (name && !names.includes(name)) names.push(name);
    }
    Object.defineProperty(this, marker, { value: names, enumerable: false });
    this.name = names[0] ?? 'ProviderError';
    this.isRetryable = options.isRetryable ?? false;
  }

  /**
   * True when `error` is an instance of this class, from any copy of `@g4f/core`; narrows
   * `error` to the class, so `RateLimitError.isInstance(e) && e.retryAfterMs` needs no cast.
   */
  static isInstance<T extends ProviderErrorClass>(
    this: T,
    error: unknown,
  ): error is InstanceType<T> {
    if (typeof error !== 'object' || error === null) return false;
    const names = (error as Branded)[marker];
    return Array.isArray(names) && names.includes(this.errorName);
  }
}
