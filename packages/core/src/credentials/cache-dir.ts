import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where `resolveCacheDir` looks; every field defaults to the running process's. */
export interface CacheDirContext {
  env?: Readonly<Record<string, string | undefined>>;
  platform?: NodeJS.Platform;
  home?: string;
  cwd?: string;
}

/**
 * The folder for provider caches, as g4f's `get_cookies_dir()` chooses it, with an explicit
 * override first: `explicit`, else `$G4F_CACHE_DIR`, else `./har_and_cookies` when that
 * folder exists, else the per-user config folder plus `g4f/cookies` (Linux
 * `~/.config/g4f/cookies`, macOS `~/Library/Application Support/g4f/cookies`, Windows
 * `%APPDATA%\g4f\cookies`).
 */
export function resolveCacheDir(explicit?: string, context: CacheDirContext = {}): string {
  const env = context.env ?? process.env;
  if (explicit) return explicit;
  if (env.G4F_CACHE_DIR) return env.G4F_CACHE_DIR;
  const local = join(context.cwd ?? process.cwd(), 'har_and_cookies');
  if (existsSync(local)) return local;
  const home = context.home ?? homedir();
  switch (context.platform ?? process.platform) {
    case 'darwin':
      return join(home, 'Library', 'Application Support', 'g4f', 'cookies');
    case 'win32':
      return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'g4f', 'cookies');
    default:
      return join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'g4f', 'cookies');
  }
}
