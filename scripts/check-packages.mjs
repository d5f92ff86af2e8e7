// Manifest rules, tarball contents, packed sizes, publint --strict and Are the Types Wrong on
// every publishable package. Run alone: `pnpm check:packages` (after `pnpm build`).

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import {
  check,
  codeEntries,
  packAll,
  publishablePackages,
  ROOT,
  readJson,
  removeScratch,
  run,
  scratchDir,
  step,
} from './lib.mjs';

/**
 * Size budgets, in bytes. `packed` is the gzipped tarball: every tarball carries the GPL-3.0
 * LICENSE text (about 12 kB gzipped), ESM + CJS builds and their `.d.ts`/`.d.cts` twins. Today a
 * provider packs to 17-21 kB and core to 66 kB; the budgets leave about 1.5 times that, so a
 * stray file or an accidental bundled dependency fails while normal growth does not. `runtime`
 * is the unpacked `dist/index.js` a user's program loads, with the ESM chunks it shares if any
 * (core's replica kit, `./replica`, is not in it): at most 9.5 kB in a provider. Core's is
 * 56 kB today (HTTP with its own timers and decompression, the SSE parser and its decoders,
 * credentials, retry, errors), past the 1.5x of the 37 kB it started from; its budget now
 * leaves about 15%, so that more growth is a decision rather than a drift. The front
 * doors carry more code of their own (the client: fallback providers, cooldowns, the stop cutter,
 * OpenAI shapes; 32 kB unminified, 45 kB packed) and get their own budgets on the same 1.5x rule.
 */
export const SIZE_BUDGET = {
  '@g4f/core': { packed: 100_000, runtime: 64_000 },
  '@g4f/client': { packed: 68_000, runtime: 48_000 },
  // The AI SDK adapter: prompt conversion, error mapping, two model classes (21 kB, 27 kB packed).
  '@g4f/ai-sdk': { packed: 44_000, runtime: 32_000 },
  // The HTTP API: routes, schemas, SSE with backpressure, metrics, auth.
  '@g4f/server': { packed: 48_000, runtime: 40_000 },
  // OpenaiTemplate and Ollama: SSE, JSON and NDJSON answers, models, images (17 kB runtime).
  '@g4f/openai-compatible': { packed: 44_000, runtime: 24_000 },
  // The `g4f` command: six commands, tables, the interactive chat, the configured servers
  // (36 kB ESM, 40 kB packed with its README). Its code sits in a chunk shared by index and bin.
  '@g4f/cli': { packed: 48_000, runtime: 44_000 },
  default: { packed: 32_000, runtime: 16_000 },
};

const RELEASE_FILES = /^(package\.json|README\.md|CHANGELOG\.md|LICENSE|dist\/.+\.(c?js|d\.c?ts))$/;

/** Every rule a publishable manifest must follow; returns the problems found. */
export function manifestProblems(pkg, root = ROOT) {
  const rootManifest = readJson(join(root, 'package.json'));
  const m = pkg.manifest;
  const problems = [];
  const expect = (ok, message) => {
    if (!ok) problems.push(message);
  };
  expect(m.license === rootManifest.license, `license must be ${rootManifest.license}`);
  let licenseCopy = '';
  try {
    licenseCopy = readFileSync(join(pkg.dir, 'LICENSE'), 'utf8');
  } catch {}
  expect(
    licenseCopy === readFileSync(join(root, 'LICENSE'), 'utf8'),
    'LICENSE must be a copy of the root LICENSE',
  );
  expect(m.files?.includes('LICENSE'), '"files" must list LICENSE');
  expect(
    m.repository?.url === rootManifest.repository.url && m.repository?.type === 'git',
    `repository.url must be ${rootManifest.repository.url}`,
  );
  expect(m.repository?.directory === pkg.folder, `repository.directory must be ${pkg.folder}`);
  expect(
    m.homepage ===
      `${rootManifest.homepage.replace(/#readme$/, '')}/tree/main/${pkg.folder}#readme`,
    'homepage must point at the package folder on GitHub',
  );
  expect(m.bugs?.url === rootManifest.bugs.url, `bugs.url must be ${rootManifest.bugs.url}`);
  expect(m.author === rootManifest.author, `author must be ${rootManifest.author}`);
  expect(Array.isArray(m.keywords) && m.keywords.includes('g4f'), 'keywords must include g4f');
  expect(
    m.engines?.node === rootManifest.engines.node,
    `engines.node must be ${rootManifest.engines.node}`,
  );
  expect(m.publishConfig?.access === 'public', 'publishConfig.access must be public');
  expect(
    m.scripts?.prepack === 'node ../../scripts/prepack-guard.mjs',
    'scripts.prepack must run ../../scripts/prepack-guard.mjs',
  );
  for (const [name, range] of Object.entries({ ...m.dependencies, ...m.peerDependencies })) {
    if (name.startsWith('@g4f/')) expect(range === 'workspace:^', `${name} must be workspace:^`);
    else expect(!/^\d/.test(range), `${name}: runtime dependency pinned exactly (${range})`);
  }
  const subpaths = codeEntries(m).filter((k) => k !== '.');
  const typesVersions = m.typesVersions?.['*'] ?? {};
  expect(
    JSON.stringify(Object.keys(typesVersions).sort()) ===
      JSON.stringify(subpaths.map((s) => s.slice(2)).sort()),
    `typesVersions["*"] must list exactly ${subpaths.join(', ') || 'nothing'}`,
  );
  for (const sub of subpaths) {
    const types = m.exports[sub]?.import?.types;
    expect(
      typesVersions[sub.slice(2)]?.[0] === types,
      `typesVersions["*"]["${sub.slice(2)}"] must be ["${types}"]`,
    );
  }
  return problems;
}

/** Versions pending changesets will bump, by package: the strongest bump named. */
export function pendingBumps(root = ROOT) {
  const order = ['patch', 'minor', 'major'];
  const bumps = new Map();
  const dir = join(root, '.changeset');
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.md') && f !== 'README.md')) {
    const front = readFileSync(join(dir, file), 'utf8').match(/^---\n([\s\S]*?)\n---/);
    for (const [, name, bump] of front?.[1].matchAll(/^["']?([^"':]+)["']?:\s*(\w+)/gm) ?? []) {
      if (order.indexOf(bump) > order.indexOf(bumps.get(name) ?? '')) bumps.set(name, bump);
    }
  }
  return bumps;
}

/** Reads a .tgz: file path (without `package/`) → contents. */
export function readTarball(file) {
  const data = gunzipSync(readFileSync(file));
  const files = new Map();
  let offset = 0;
  while (offset + 512 <= data.length) {
    const header = data.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start, length) =>
      header
        .subarray(start, start + length)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const name = field(345, 155) ? `${field(345, 155)}/${field(0, 100)}` : field(0, 100);
    const size = Number.parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1);
    offset += 512;
    if (type === '0' || type === '') {
      files.set(name.replace(/^package\//, ''), data.subarray(offset, offset + size));
    }
    offset += Math.ceil(size / 512) * 512;
  }
  return files;
}

/** What is wrong with one packed tarball; also returns its sizes. */
export function tarballReport(pkg, tarball) {
  const files = readTarball(tarball);
  const problems = [];
  for (const name of files.keys()) {
    if (!RELEASE_FILES.test(name)) problems.push(`ships ${name}`);
  }
  for (const needed of ['package.json', 'README.md', 'LICENSE']) {
    if (!files.has(needed)) problems.push(`does not ship ${needed}`);
  }
  const packed = JSON.parse(files.get('package.json')?.toString('utf8') ?? '{}');
  if (JSON.stringify(packed).includes('workspace:'))
    problems.push('manifest has workspace: ranges');
  for (const [name, data] of files) {
    if (name.endsWith('js') && data.includes('sourceMappingURL')) {
      problems.push(`${name} points at a source map that is not shipped`);
    }
  }
  const unpacked = [...files.values()].reduce((sum, d) => sum + d.length, 0);
  // A package built with splitting (the CLI: index and bin share one chunk) loads its chunks too.
  const runtime = [...files]
    .filter(([name]) => name === 'dist/index.js' || /^dist\/chunk-[\w-]+\.js$/.test(name))
    .reduce((sum, [, data]) => sum + data.length, 0);
  const size = statSync(tarball).size;
  const budget = SIZE_BUDGET[pkg.manifest.name] ?? SIZE_BUDGET.default;
  if (size > budget.packed) problems.push(`packed ${size} B is over its ${budget.packed} B budget`);
  if (runtime > budget.runtime) {
    problems.push(`dist/index.js ${runtime} B is over its ${budget.runtime} B budget`);
  }
  return { problems, size, unpacked, runtime, budget, files: files.size };
}

/** Runs publint --strict and attw (strict profile: node10, node16 CJS/ESM, bundler). */
export async function lintTarball(tarball) {
  const bin = join(ROOT, 'node_modules', '.bin');
  await run(join(bin, 'publint'), ['run', tarball, '--strict', '--level', 'suggestion']);
  await run(join(bin, 'attw'), [tarball, '--profile', 'strict', '--format', 'ascii', '--no-color']);
}

/** The whole package check over packed tarballs in `outDir`; returns the tarballs. */
export async function checkPackages(outDir) {
  const packages = publishablePackages();
  check(packages.length > 0, 'no publishable packages found');
  await step('manifest rules', () => {
    const bumps = pendingBumps();
    const problems = packages.flatMap((p) => {
      const found = manifestProblems(p);
      if (p.manifest.version === '0.0.0' && bumps.get(p.manifest.name) !== 'minor') {
        found.push('unreleased (0.0.0): a pending changeset must bump it `minor`, to 0.1.0');
      }
      return found.map((problem) => `${p.manifest.name}: ${problem}`);
    });
    check(problems.length === 0, problems.join('\n'));
  });
  const tarballs = await step('pnpm pack', () => packAll(outDir, packages));
  await step('tarball contents and packed sizes', () => {
    const rows = [];
    const problems = [];
    for (const p of packages) {
      const r = tarballReport(p, tarballs.get(p.manifest.name));
      problems.push(...r.problems.map((x) => `${p.manifest.name}: ${x}`));
      rows.push({
        package: p.manifest.name,
        files: r.files,
        'packed kB': (r.size / 1000).toFixed(1),
        'budget kB': (r.budget.packed / 1000).toFixed(0),
        'unpacked kB': (r.unpacked / 1000).toFixed(1),
        'index.js kB': (r.runtime / 1000).toFixed(1),
        'index budget kB': (r.budget.runtime / 1000).toFixed(0),
      });
    }
    console.table(rows);
    check(problems.length === 0, problems.join('\n'));
  });
  await step('publint --strict and attw (all profiles)', async () => {
    for (const p of packages) await lintTarball(tarballs.get(p.manifest.name));
  });
  await step('npm pack in a package folder fails loudly', async () => {
    const withWorkspaceDeps = packages.find((p) =>
      Object.values(p.manifest.dependencies ?? {}).some((r) => r.startsWith('workspace:')),
    );
    if (!withWorkspaceDeps) return;
    const out = scratchDir('npm-pack');
    try {
      const log = await run('npm', ['pack', '--pack-destination', out], {
        cwd: withWorkspaceDeps.dir,
        expectFailure: true,
      });
      check(/refusing to pack[\s\S]*workspace:/.test(log), `unexpected npm pack output:\n${log}`);
      check(readdirSync(out).length === 0, 'npm pack left a tarball behind');
    } finally {
      removeScratch(out);
    }
  });
  return tarballs;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = scratchDir('tarballs');
  try {
    await checkPackages(out);
  } finally {
    removeScratch(out);
  }
}
