import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { resolveCacheDir } from './cache-dir.js';
import { createMemoryStore } from './credentials-store.js';
import { CredentialsStoreError } from './credentials-store-error.js';
import { createFileStore } from './file-store.js';

const run = promisify(execFile);
const fresh = () => mkdtemp(join(tmpdir(), 'g4f-store-'));

describe('file store', () => {
  it('writes JSON with mode 0600 and reads it back', async () => {
    const dir = await fresh();
    const store = createFileStore({ name: 'robocoders', cacheDir: dir });
    expect(await store.get()).toBeUndefined();
    await store.set({ access_token: 't1' });
    await store.update({ sid: 's1' });
    expect(await store.get()).toEqual({ access_token: 't1', sid: 's1' });
    expect(store.path).toBe(join(dir, 'robocoders.json'));
    expect((await stat(store.path)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(store.path, 'utf8'))).toEqual({
      access_token: 't1',
      sid: 's1',
    });
  });

  it('loses no concurrent update and leaves no temporary or lock files behind', async () => {
    const dir = await fresh();
    const store = createFileStore({ name: 'x', cacheDir: dir });
    await Promise.all(Array.from({ length: 10 }, (_, i) => store.update({ [`k${i}`]: i })));
    expect(await readdir(dir)).toEqual(['x.json']);
    expect(Object.keys((await store.get()) ?? {}).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `k${i}`).sort(),
    );
  });

  it('reads a corrupt or half-written file as empty and repairs it on the next write', async () => {
    const dir = await fresh();
    const store = createFileStore({ name: 'x', cacheDir: dir });
    for (const broken of ['{"access_token": "t', '', '[1,2]', 'null', '5', '"s"', 'true']) {
      await writeFile(store.path, broken);
      expect(await store.get()).toBeUndefined();
    }
    expect(await store.update({ sid: 'new' })).toEqual({ sid: 'new' });
    expect(JSON.parse(await readFile(store.path, 'utf8'))).toEqual({ sid: 'new' });
  });

  it('clears', async () => {
    const dir = await fresh();
    const store = createFileStore({ name: 'x', cacheDir: dir });
    await store.set({ a: 1 });
    await store.clear();
    expect(await store.get()).toBeUndefined();
    await store.clear();
  });

  it('breaks a stale lock left by a dead writer', async () => {
    const dir = await fresh();
    const store = createFileStore({ name: 'x', cacheDir: dir });
    await writeFile(`${store.path}.lock`, '');
    const { utimes } = await import('node:fs/promises');
    const old = new Date(Date.now() - 60_000);
    await utimes(`${store.path}.lock`, old, old);
    await store.set({ ok: true });
    expect(await store.get()).toEqual({ ok: true });
  });

  it('keeps a valid file and every update when several processes write at once', async () => {
    const dir = await fresh();
    const writer = fileURLToPath(new URL('./__fixtures__/concurrent-writer.ts', import.meta.url));
    const processes = 4;
    const updates = 25;
    await Promise.all(
      Array.from({ length: processes }, (_, id) =>
        run(process.execPath, ['--import', 'tsx', writer, dir, String(id), String(updates)]),
      ),
    );
    const value = JSON.parse(await readFile(join(dir, 'shared.json'), 'utf8'));
    for (let id = 0; id < processes; id++) expect(value[`writer${id}`]).toBe(updates - 1);
    expect(await readdir(dir)).toEqual(['shared.json']);
  }, 60_000);
});

describe('file store failures', () => {
  const failureOf = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (e: unknown) => e,
    );

  it('reports a folder in place of the file as unreadable, and never overwrites it', async () => {
    const dir = await fresh();
    const store = createFileStore({ name: 'x', cacheDir: dir });
    await mkdir(store.path);
    await writeFile(join(store.path, 'keep'), 'k');
    for (const attempt of [store.get(), store.update({ sid: 's' })]) {
      const error = await failureOf(attempt);
      expect(CredentialsStoreError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ kind: 'unreadable', path: store.path, isRetryable: false });
      expect((error as Error).message).toBe(
        `Cannot read the credentials file ${store.path}: EISDIR`,
      );
      expect(((error as Error).cause as NodeJS.ErrnoException).code).toBe('EISDIR');
    }
    expect(await readdir(store.path)).toEqual(['keep']);
    expect(await readdir(dir)).toEqual(['x.json']);
  });

  it('reports a failed write as unwritable and removes its temporary file', async () => {
    const dir = await fresh();
    const store = createFileStore({ name: 'x', cacheDir: dir });
    await mkdir(store.path);
    const error = await failureOf(store.set({ a: 1 }));
    expect(error).toMatchObject({ kind: 'unwritable', path: store.path, isRetryable: false });
    expect((error as Error).message).toMatch(/^Cannot write the credentials file .*x\.json: E/);
    expect(await readdir(dir)).toEqual(['x.json']);
    const cleared = await failureOf(store.clear());
    expect(cleared).toMatchObject({ kind: 'unwritable' });
  });

  it('makes a missing cache folder, parents included, private to the user', async () => {
    const dir = join(await fresh(), 'a', 'b');
    const store = createFileStore({ name: 'x', cacheDir: dir });
    await store.set({ a: 1 });
    expect(await store.get()).toEqual({ a: 1 });
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
  });

  it('reports a cache folder that cannot be made as unwritable', async () => {
    const dir = await fresh();
    await writeFile(join(dir, 'file'), '');
    const store = createFileStore({ name: 'x', cacheDir: join(dir, 'file', 'sub') });
    expect(await failureOf(store.set({ a: 1 }))).toMatchObject({ kind: 'unwritable' });
  });

  it('reports a lock file that cannot be made as unwritable', async () => {
    const dir = await fresh();
    // The JSON file's name fits in 255 bytes, its lock file's does not.
    const store = createFileStore({ name: 'n'.repeat(248), cacheDir: dir });
    const error = await failureOf(store.set({ a: 1 }));
    expect(CredentialsStoreError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ kind: 'unwritable' });
    expect((error as Error).message).toContain('ENAMETOOLONG');
  });

  it('reports a temporary file that cannot be made as unwritable, leaving nothing behind', async () => {
    const dir = await fresh();
    // The JSON and lock files' names fit in 255 bytes, the temporary file's does not.
    const store = createFileStore({ name: 'n'.repeat(240), cacheDir: dir });
    const error = await failureOf(store.set({ a: 1 }));
    expect(CredentialsStoreError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ kind: 'unwritable' });
    expect((error as Error).message).toContain('ENAMETOOLONG');
    expect(await readdir(dir)).toEqual([]);
  });

  it('gives up on a live lock after lockTimeout with a retryable error', async () => {
    const dir = await fresh();
    const store = createFileStore({ name: 'x', cacheDir: dir, lockTimeout: 30 });
    await writeFile(`${store.path}.lock`, '');
    const error = await failureOf(store.set({ a: 1 }));
    expect(CredentialsStoreError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ kind: 'lock-timeout', path: store.path, isRetryable: true });
    expect((error as Error).message).toBe(
      `Gave up after 30 ms waiting for another writer's lock on ${store.path}`,
    );
    expect(await readdir(dir)).toEqual(['x.json.lock']);
  });

  it('waits for a live lock that is released in time', async () => {
    const dir = await fresh();
    const store = createFileStore({ name: 'x', cacheDir: dir });
    await writeFile(`${store.path}.lock`, '');
    const { unlink } = await import('node:fs/promises');
    setTimeout(() => void unlink(`${store.path}.lock`), 50);
    await store.set({ waited: true });
    expect(await store.get()).toEqual({ waited: true });
  });

  it('keeps a lock just younger than the stale age, and breaks an older one', async () => {
    const dir = await fresh();
    const store = createFileStore({ name: 'x', cacheDir: dir, lockTimeout: 30 });
    const lock = `${store.path}.lock`;
    await writeFile(lock, '');
    const young = new Date(Date.now() - 8_000);
    await utimes(lock, young, young);
    expect(await failureOf(store.set({ a: 1 }))).toMatchObject({ kind: 'lock-timeout' });
    const old = new Date(Date.now() - 11_000);
    await utimes(lock, old, old);
    await store.set({ a: 2 });
    expect(await store.get()).toEqual({ a: 2 });
  });

  it('writes one JSON document per line of text', async () => {
    const dir = await fresh();
    const store = createFileStore({ name: 'x', cacheDir: dir });
    await store.set({ a: 'b' });
    expect(await readFile(store.path, 'utf8')).toBe('{"a":"b"}\n');
  });

  it('runs the same read-modify-write path as the child processes, in this process', async () => {
    const dir = await fresh();
    const stores = Array.from({ length: 4 }, () =>
      createFileStore({ name: 'shared', cacheDir: dir }),
    );
    await Promise.all(
      stores.map(async (store, id) => {
        for (let i = 0; i < 10; i++) await store.update({ [`writer${id}`]: i });
      }),
    );
    const value = JSON.parse(await readFile(join(dir, 'shared.json'), 'utf8'));
    expect(value).toEqual({ writer0: 9, writer1: 9, writer2: 9, writer3: 9 });
    expect(await readdir(dir)).toEqual(['shared.json']);
  });
});

describe('memory store', () => {
  it('starts from a copy of its initial value', async () => {
    const initial = { token: 't', nested: { a: 1 } };
    const store = createMemoryStore(initial);
    initial.nested.a = 2;
    const got = await store.get();
    expect(got).toEqual({ token: 't', nested: { a: 1 } });
    got!.nested.a = 3;
    expect(await store.get()).toEqual({ token: 't', nested: { a: 1 } });
    expect(await store.update({ token: 'u' })).toEqual({ token: 'u', nested: { a: 1 } });
  });

  it('stores copies, merges updates and clears', async () => {
    const store = createMemoryStore<{ token?: string; nested?: { a: number } }>();
    const nested = { a: 1 };
    await store.set({ nested });
    nested.a = 2;
    expect(await store.get()).toEqual({ nested: { a: 1 } });
    expect(await store.update({ token: 't' })).toEqual({ nested: { a: 1 }, token: 't' });
    await store.clear();
    expect(await store.get()).toBeUndefined();
  });
});

describe('resolveCacheDir', () => {
  const base = { home: '/home/u', cwd: '/nonexistent-cwd' };
  it('prefers the explicit folder, then G4F_CACHE_DIR', () => {
    expect(resolveCacheDir('/explicit', { ...base, env: { G4F_CACHE_DIR: '/env' } })).toBe(
      '/explicit',
    );
    expect(resolveCacheDir(undefined, { ...base, env: { G4F_CACHE_DIR: '/env' } })).toBe('/env');
  });

  it('uses ./har_and_cookies when it exists', async () => {
    const cwd = await fresh();
    await import('node:fs/promises').then((fs) => fs.mkdir(join(cwd, 'har_and_cookies')));
    expect(resolveCacheDir(undefined, { env: {}, cwd, home: '/h' })).toBe(
      join(cwd, 'har_and_cookies'),
    );
  });

  it('falls back to the per-user config folder of each platform', () => {
    expect(resolveCacheDir(undefined, { ...base, env: {}, platform: 'linux' })).toBe(
      '/home/u/.config/g4f/cookies',
    );
    expect(
      resolveCacheDir(undefined, { ...base, env: { XDG_CONFIG_HOME: '/x' }, platform: 'linux' }),
    ).toBe('/x/g4f/cookies');
    expect(resolveCacheDir(undefined, { ...base, env: {}, platform: 'darwin' })).toBe(
      '/home/u/Library/Application Support/g4f/cookies',
    );
    expect(
      resolveCacheDir(undefined, { ...base, env: { APPDATA: '/appdata' }, platform: 'win32' }),
    ).toBe(join('/appdata', 'g4f', 'cookies'));
    expect(resolveCacheDir(undefined, { ...base, env: {}, platform: 'win32' })).toBe(
      join('/home/u', 'AppData', 'Roaming', 'g4f', 'cookies'),
    );
  });
});
