import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { resolveCacheDir } from './cache-dir.js';
import { createMemoryStore } from './credentials-store.js';
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
    for (const broken of ['{"access_token": "t', '', '[1,2]', 'null']) {
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

describe('memory store', () => {
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
  });
});
