// Shared helpers for the release checks: the workspace's publishable packages, child processes
// with a time limit, scratch folders and packing. Plain ESM so every Node binary runs it as is.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The pnpm the README uses, for when a script is not started through pnpm itself. */
export const PNPM_SPEC = 'pnpm@10.34.9';

/** Where downloaded Node binaries and other check caches live (ignored by git). */
export const CACHE_DIR = join(ROOT, 'node_modules', '.cache', 'g4f-release');

/** Reads a JSON file. */
export function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

/**
 * Every workspace package (folders matched by pnpm-workspace.yaml's `dir/*` patterns), in
 * dependency order: a package comes after the workspace packages it depends on.
 */
export function workspacePackages(root = ROOT) {
  const yaml = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8');
  const patterns = [...yaml.matchAll(/^\s+-\s+['"]?([^'"\s]+)\/\*['"]?\s*$/gm)].map((m) => m[1]);
  const found = [];
  for (const base of patterns) {
    for (const entry of readdirSync(join(root, base)).sort()) {
      const dir = join(root, base, entry);
      const file = join(dir, 'package.json');
      if (!existsSync(file)) continue;
      found.push({ dir, folder: `${base}/${entry}`, manifest: readJson(file) });
    }
  }
  const byName = new Map(found.map((p) => [p.manifest.name, p]));
  const ordered = [];
  const visit = (p, seen = new Set()) => {
    if (ordered.includes(p) || seen.has(p)) return;
    seen.add(p);
    for (const dep of Object.keys(p.manifest.dependencies ?? {})) {
      const inner = byName.get(dep);
      if (inner) visit(inner, seen);
    }
    ordered.push(p);
  };
  for (const p of found) visit(p);
  return ordered;
}

/** The workspace packages that are published (not `private`). */
export function publishablePackages(root = ROOT) {
  return workspacePackages(root).filter((p) => !p.manifest.private);
}

/** Names of the workspace packages `name` needs at run time, itself included. */
export function workspaceClosure(name, packages) {
  const byName = new Map(packages.map((p) => [p.manifest.name, p]));
  const out = new Set();
  const visit = (n) => {
    if (out.has(n) || !byName.has(n)) return;
    out.add(n);
    for (const dep of Object.keys(byName.get(n).manifest.dependencies ?? {})) visit(dep);
  };
  visit(name);
  return [...out];
}

/** The subpaths a manifest exports as code (`.`, `./replica`, …; not `./package.json`). */
export function codeEntries(manifest) {
  return Object.keys(manifest.exports ?? { '.': manifest.main }).filter(
    (k) => !k.endsWith('.json'),
  );
}

/** Process groups started by `run` that are still running. */
const active = new Set();

/** Ends every process group `run` started that is still running (for an interrupted check). */
export function killActive() {
  for (const pid of active) killGroup(pid);
}

/**
 * Runs a command without a shell; resolves with its output, rejects with the output when it
 * exits non-zero or outlives `timeoutMs` (then its process group is killed).
 */
export function run(command, args, options = {}) {
  const {
    cwd = ROOT,
    env = {},
    timeoutMs = 300_000,
    quiet = true,
    expectFailure = false,
  } = options;
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    active.add(child.pid);
    let output = '';
    const take = (chunk) => {
      output += chunk;
      if (!quiet) process.stdout.write(chunk);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      active.delete(child.pid);
      clearTimeout(timer);
      const line = `${command} ${args.join(' ')} (in ${cwd})`;
      if (timedOut) reject(new Error(`timed out after ${timeoutMs} ms: ${line}\n${output}`));
      else if (expectFailure && code === 0)
        reject(new Error(`expected a failure: ${line}\n${output}`));
      else if (!expectFailure && code !== 0)
        reject(new Error(`exit ${code ?? signal}: ${line}\n${output}`));
      else resolvePromise(output);
    });
  });
}

/** Ends a process group started by `run` (its leader's pid), ignoring one already gone. */
export function killGroup(pid) {
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    // already exited
  }
}

/** The pnpm command: the one running this script when there is one, else `npx pnpm@…`. */
export function pnpmCommand() {
  const execPath = process.env.npm_execpath ?? '';
  if (/pnpm/.test(execPath) && existsSync(execPath)) {
    return { command: process.execPath, prefix: [execPath] };
  }
  return { command: 'npx', prefix: ['--yes', PNPM_SPEC] };
}

/** Runs pnpm with `args`. */
export function pnpm(args, options) {
  const { command, prefix } = pnpmCommand();
  return run(command, [...prefix, ...args], options);
}

/** npm flags for scratch installs: quiet, no audit or funding calls, no lockfile noise. */
export const NPM_FLAGS = ['--no-audit', '--no-fund', '--loglevel=error', '--prefer-offline'];

/** A fresh folder outside the workspace; removed by `removeScratch`. */
export function scratchDir(label) {
  return mkdtempSync(join(tmpdir(), `g4f-${label}-`));
}

/** Removes a scratch folder made by `scratchDir`. */
export function removeScratch(dir) {
  rmSync(dir, { recursive: true, force: true });
}

/** Packs every publishable package with pnpm into `outDir`; returns name → tarball path. */
export async function packAll(outDir, packages = publishablePackages()) {
  const tarballs = new Map();
  for (const p of packages) {
    const before = new Set(readdirSync(outDir));
    await pnpm(['pack', '--pack-destination', outDir], { cwd: p.dir });
    const made = readdirSync(outDir).filter((f) => f.endsWith('.tgz') && !before.has(f));
    if (made.length !== 1)
      throw new Error(`${p.manifest.name}: pnpm pack made ${made.length} files`);
    tarballs.set(p.manifest.name, join(outDir, made[0]));
  }
  return tarballs;
}

/** Logs a step's name, runs it, logs its time; a failure names the step. */
export async function step(name, fn) {
  const started = performance.now();
  console.log(`\n▶ ${name}`);
  try {
    const result = await fn();
    console.log(`✔ ${name} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
    return result;
  } catch (error) {
    console.error(`✘ ${name}`);
    throw error;
  }
}

/** Throws when `condition` is false. */
export function check(condition, message) {
  if (!condition) throw new Error(message);
}
