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
    // Every class from new.target up to ProviderError has an errorName, its own or inherited:
    // an inherited one is already listed.
    for (let c: unknown = new.target; c !== Error; c = Object.getPrototypeOf(c)) {
      const name = (c as typeof ProviderError).errorName;
      if (!names.includes(name)) names.push(name);
    }
    // Not enumerable, so a spread or assigned copy of the error does not pass for one.
    Object.defineProperty(this, marker, { value: names, enumerable: false });
    this.name = new.target.errorName;
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
    const names = (error as Branded | null | undefined)?.[marker];
    return Array.isArray(names) && names.includes(this.errorName);
  }
}
