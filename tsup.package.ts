import { readFileSync } from 'node:fs';
import { defineConfig, type Options } from 'tsup';

/**
 * The build every package shares: ESM + CJS + `.d.ts` for the given entries, Node 20, the
 * package version stamped in as `__PACKAGE_VERSION__`. Run from the package's folder.
 */
export function packageBuild(entry: Record<string, string>, extra: Partial<Options> = {}) {
  const { version } = JSON.parse(readFileSync('./package.json', 'utf8')) as { version: string };
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    // No source maps: the output is unminified ES2022 with names kept, so stack traces read
    // well without them, and maps with embedded sources were half of every tarball.
    sourcemap: false,
    clean: true,
    target: 'node20',
    define: { __PACKAGE_VERSION__: JSON.stringify(version) },
    ...extra,
  });
}
