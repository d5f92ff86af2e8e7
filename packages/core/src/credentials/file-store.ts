import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { resolveCacheDir } from './cache-dir.js';
import type { Credentials, CredentialsStore } from './credentials-store.js';
import { CredentialsStoreError } from './credentials-store-error.js';

/** Options of {@link createFileStore}. */
export interface FileStoreOptions {
  /** File name without extension, e.g. `robocoders` for `robocoders.json`. */
  name: string;
  /** Folder; default from {@link resolveCacheDir} (`$G4F_CACHE_DIR`, `./har_and_cookies`, …). */
  cacheDir?: string;
  /**
   * How long to wait for another writer's lock before a `CredentialsStoreError` of kind
   * `lock-timeout`, in ms (default 10,000).
   */
  lockTimeout?: number;
}

/** A lock older than this belongs to a writer that died; it is broken. */
const STALE_LOCK_MS = 10_000;

/** A file-backed store, with the path it writes. */
export interface FileStore<T extends Credentials> extends CredentialsStore<T> {
  readonly path: string;
}

/**
 * A JSON file store. Writes go to a temporary file (mode 0600) that is then renamed over the
 * real one, so a reader never sees half a file; a lock file serialises writers across
 * processes so `update` never loses another process's write. A corrupt or half-written file
 * reads as empty and is replaced by the next write. A file that cannot be read (a folder in its
 * place, no permission) is a `CredentialsStoreError`, never empty: reading it as empty would
 * let the next `update` overwrite it with only the patch.
 */
export function createFileStore<T extends Credentials = Credentials>(
  options: FileStoreOptions,
): FileStore<T> {
  const dir = resolveCacheDir(options.cacheDir);
  const path = join(dir, `${options.name}.json`);
  const lockPath = `${path}.lock`;
  // Stryker disable next-line LogicalOperator: only a 10-second test could tell.
  const lockTimeout = options.lockTimeout ?? 10_000;

  const failure = (kind: 'unreadable' | 'unwritable', error: unknown) => {
    const { code, message } = error as NodeJS.ErrnoException;
    const verb = kind === 'unreadable' ? 'read' : 'write';
    return new CredentialsStoreError(
      `Cannot ${verb} the credentials file ${path}: ${code ?? message}`,
      {
        kind,
        path,
        cause: error,
      },
    );
  };

  const read = async (): Promise<T | undefined> => {
    let text: string;
    try {
      // Stryker disable next-line StringLiteral: JSON.parse reads a Buffer as UTF-8 text too.
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw failure('unreadable', error);
    }
    let value: unknown;
    // A corrupt or half-written file reads as empty and the next write replaces it. Emptying
    // the catch block changes nothing (`value` stays undefined, and so is the result).
    // Stryker disable BlockStatement: see above.
    try {
      value = JSON.parse(text);
    } catch {
      return undefined;
    }
    // Stryker restore BlockStatement
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as T) : undefined;
  };

  const write = async (value: T): Promise<void> => {
    const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      // Stryker disable next-line StringLiteral: `wx` only guards against a random-name clash.
      await writeFile(temp, `${JSON.stringify(value)}\n`, { mode: 0o600, flag: 'wx' });
      await rename(temp, path);
    } catch (error) {
      // Best effort: a clean-up failure (the temporary file was never made) must not hide why
      // the write failed.
      // Stryker disable next-line ObjectLiteral,BooleanLiteral: see above.
      await rm(temp, { force: true }).catch(() => undefined);
      throw failure('unwritable', error);
    }
  };

  const withLock = async <R>(task: () => Promise<R>): Promise<R> => {
    // A folder that cannot be made fails to hold the lock file just below, with the same code.
    await mkdir(dir, { recursive: true, mode: 0o700 }).catch(() => undefined);
    const deadline = Date.now() + lockTimeout;
    for (;;) {
      try {
        const handle = await open(lockPath, 'wx', 0o600);
        await handle.close();
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw failure('unwritable', error);
        const age = await stat(lockPath).then(
          (s) => Date.now() - s.mtimeMs,
          // The lock went away meanwhile: any age that is not stale means "try again", and the
          // race is not reproducible in a test.
          // Stryker disable next-line ArrowFunction: see above.
          () => 0,
        );
        // Stryker disable next-line EqualityOperator: one millisecond either way is no behaviour.
        if (age > STALE_LOCK_MS) {
          await unlink(lockPath).catch(() => undefined);
          continue;
        }
        // Stryker disable next-line EqualityOperator: as above.
        if (Date.now() > deadline) {
          throw new CredentialsStoreError(
            `Gave up after ${lockTimeout} ms waiting for another writer's lock on ${path}`,
            { kind: 'lock-timeout', path },
          );
        }
        // Stryker disable next-line ArithmeticOperator: the jitter changes only the timing.
        await sleep(5 + Math.random() * 20);
      }
    }
    try {
      return await task();
    } finally {
      await unlink(lockPath).catch(() => undefined);
    }
  };

  return {
    path,
    get: read,
    set: (value) => withLock(() => write(value)),
    update: (patch) =>
      withLock(async () => {
        const next = { ...((await read()) ?? {}), ...patch } as T;
        await write(next);
        return next;
      }),
    clear: () =>
      withLock(() =>
        rm(path, { force: true }).catch((error: unknown) => {
          throw failure('unwritable', error);
        }),
      ),
  };
}
