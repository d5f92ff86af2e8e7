/** A JSON object of credentials, e.g. `{ access_token, sid }`. */
export type Credentials = Record<string, unknown>;

/**
 * Where a provider keeps credentials between calls. Every method is async so a store may be
 * a file, a database or a secrets manager.
 */
export interface CredentialsStore<T extends Credentials = Credentials> {
  /** The stored credentials, or undefined when there are none (or they were unreadable). */
  get(): Promise<T | undefined>;
  /** Replaces everything stored. */
  set(value: T): Promise<void>;
  /** Merges `patch` into what is stored and returns the result. */
  update(patch: Partial<T>): Promise<T>;
  /** Forgets everything stored. */
  clear(): Promise<void>;
}

/** A store that lives as long as the process; handy for tests and serverless code. */
export function createMemoryStore<T extends Credentials = Credentials>(
  initial?: T,
): CredentialsStore<T> {
  // structuredClone(undefined) is undefined: no special case for an empty store.
  let value: T | undefined = structuredClone(initial);
  return {
    async get() {
      return structuredClone(value);
    },
    async set(next) {
      value = structuredClone(next);
    },
    async update(patch) {
      value = { ...(value ?? {}), ...structuredClone(patch) } as T;
      return structuredClone(value);
    },
    async clear() {
      value = undefined;
    },
  };
}
