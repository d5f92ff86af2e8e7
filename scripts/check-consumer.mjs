// Consumers installed with npm from packed tarballs, in scratch folders outside the workspace:
// each package alone (ESM import and CJS require of every entry), core + acytoo streaming one
// answer, a strict TypeScript consumer (node10, node16, nodenext, bundler), a project that
// already has vitest 3, one with its own undici, and the `g4f` bin of @g4f/cli (`npx @g4f/cli`).
import { copyFileSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  check,
  codeEntries,
  NPM_FLAGS,
  publishablePackages,
  ROOT,
  readJson,
  run,
  step,
  workspaceClosure,
} from './lib.mjs';

const HERE = join(ROOT, 'scripts', 'consumer');
/** Tools the scratch consumers install next to our tarballs (exact, like the lockfile). */
const TOOLS = {
  typescript: '5.9.3',
  '@types/node': '20.19.43',
  vitest3: '3.2.7',
  undici: '7.30.2',
};

function project(base, name) {
  const dir = join(base, name);
  writeFileSync(
    join(base, `${name}.package.json`),
    JSON.stringify({ name: `consumer-${name}`, version: '1.0.0', private: true, type: 'module' }),
  );
  return dir;
}

async function npmProject(base, name, installs) {
  const dir = project(base, name);
  await run('mkdir', ['-p', dir]);
  copyFileSync(join(base, `${name}.package.json`), join(dir, 'package.json'));
  for (const specs of installs) {
    await run('npm', ['install', ...NPM_FLAGS, ...specs], { cwd: dir, timeoutMs: 240_000 });
  }
  return dir;
}

/** Top-level packages in node_modules (scoped ones as `@scope/name`). */
function installedNames(dir) {
  const nm = join(dir, 'node_modules');
  return readdirSync(nm)
    .filter((n) => !n.startsWith('.'))
    .flatMap((n) => (n.startsWith('@') ? readdirSync(join(nm, n)).map((s) => `${n}/${s}`) : [n]));
}

/** Everything reachable from `roots` through installed manifests' dependencies. */
function reachable(dir, roots) {
  const seen = new Set();
  const visit = (name) => {
    if (seen.has(name)) return;
    seen.add(name);
    const file = join(dir, 'node_modules', name, 'package.json');
    if (!existsSync(file)) return;
    const m = readJson(file);
    for (const dep of Object.keys({ ...m.dependencies, ...m.optionalDependencies })) visit(dep);
  };
  for (const r of roots) visit(r);
  return seen;
}

/** Installs every scratch consumer; returns what `runConsumers` needs. */
export async function prepareConsumers(tarballs, base) {
  const packages = publishablePackages();
  const projects = { alone: [] };
  await step('npm install: each package alone from its tarball', async () => {
    for (const p of packages) {
      const names = workspaceClosure(p.manifest.name, packages);
      const folder = p.manifest.name.replace(/^@g4f\//, 'alone-');
      const dir = await npmProject(base, folder, [names.map((n) => tarballs.get(n))]);
      const extra = installedNames(dir).filter((n) => !reachable(dir, names).has(n));
      check(extra.length === 0, `${p.manifest.name} alone installs unneeded ${extra.join(', ')}`);
      projects.alone.push({ dir, name: p.manifest.name, entries: codeEntries(p.manifest) });
    }
    const acytoo = projects.alone.find((a) => a.name === '@g4f/acytoo');
    check(acytoo, '@g4f/acytoo is not a publishable package');
    check(
      !existsSync(join(acytoo.dir, 'node_modules', 'cheerio')),
      'core + acytoo installed cheerio',
    );
    const cli = projects.alone.find((a) => a.name === '@g4f/cli');
    check(cli, '@g4f/cli is not a publishable package');
    projects.cli = cli.dir;
    copyFileSync(join(HERE, 'stream.mjs'), join(acytoo.dir, 'stream.mjs'));
    copyFileSync(join(HERE, 'stream.cjs'), join(acytoo.dir, 'stream.cjs'));
    projects.acytoo = acytoo.dir;
  });
  const coreAndAcytoo = ['@g4f/core', '@g4f/acytoo'].map((n) => tarballs.get(n));
  projects.vitest3 = await step('npm install: into a project that already has vitest 3', () =>
    npmProject(base, 'vitest3', [[`vitest@${TOOLS.vitest3}`], [...tarballs.values()]]),
  );
  copyFileSync(join(HERE, 'vitest3.test.mjs'), join(projects.vitest3, 'vitest3.test.mjs'));
  projects.undici = await step('npm install: into a project with its own undici', async () => {
    const dir = await npmProject(base, 'own-undici', [[`undici@${TOOLS.undici}`], coreAndAcytoo]);
    check(
      !existsSync(join(dir, 'node_modules', '@g4f', 'core', 'node_modules', 'undici')),
      '@g4f/core installed a second undici next to the project’s own',
    );
    copyFileSync(join(HERE, 'own-undici.mjs'), join(dir, 'own-undici.mjs'));
    return dir;
  });
  await step('strict TypeScript consumer: node10, node16, nodenext, bundler', async () => {
    const dir = await npmProject(base, 'typescript', [
      [`typescript@${TOOLS.typescript}`, `@types/node@${TOOLS['@types/node']}`],
      coreAndAcytoo,
    ]);
    copyFileSync(join(HERE, 'consumer.mts'), join(dir, 'consumer.mts'));
    // The same source compiled as a CommonJS module (.cts) and under node10 (.ts).
    copyFileSync(join(HERE, 'consumer.mts'), join(dir, 'consumer.cts'));
    copyFileSync(join(HERE, 'consumer.mts'), join(dir, 'consumer-node10.ts'));
    const strict = { strict: true, noEmit: true, skipLibCheck: false, types: ['node'] };
    const configs = {
      node16: {
        module: 'node16',
        moduleResolution: 'node16',
        files: ['consumer.mts', 'consumer.cts'],
      },
      nodenext: {
        module: 'nodenext',
        moduleResolution: 'nodenext',
        files: ['consumer.mts', 'consumer.cts'],
      },
      bundler: { module: 'esnext', moduleResolution: 'bundler', files: ['consumer.mts'] },
      node10: { module: 'commonjs', moduleResolution: 'node10', files: ['consumer-node10.ts'] },
    };
    for (const [label, { files, ...options }] of Object.entries(configs)) {
      const config = {
        compilerOptions: { ...strict, ...options, target: 'es2022', ignoreDeprecations: '5.0' },
        files,
      };
      writeFileSync(join(dir, `tsconfig.${label}.json`), JSON.stringify(config, null, 2));
      await run(
        process.execPath,
        ['node_modules/typescript/bin/tsc', '-p', `tsconfig.${label}.json`],
        {
          cwd: dir,
        },
      );
    }
  });
  return projects;
}

/** Runs every installed consumer with the Node binary `node` (default: this one). */
export async function runConsumers(projects, node = process.execPath) {
  const version = (await run(node, ['--version'])).trim();
  await step(`consumers on Node ${version}: import and require every entry`, async () => {
    for (const { dir, name, entries } of projects.alone) {
      const specs = entries.map((e) => (e === '.' ? name : `${name}${e.slice(1)}`));
      const list = JSON.stringify(specs);
      const probe = (kind) =>
        `const specs=${list};for(const s of specs){const m=${kind};` +
        `if(Object.keys(m).length===0)throw new Error(s+' has no exports')}`;
      await run(node, ['--input-type=module', '-e', `${probe('await import(s)')}`], { cwd: dir });
      await run(node, ['--input-type=commonjs', '-e', probe('require(s)')], { cwd: dir });
    }
  });
  await step(`consumers on Node ${version}: stream an answer (ESM and CJS)`, async () => {
    await run(node, ['stream.mjs'], { cwd: projects.acytoo, timeoutMs: 60_000 });
    await run(node, ['stream.cjs'], { cwd: projects.acytoo, timeoutMs: 60_000 });
    await run(node, ['own-undici.mjs'], { cwd: projects.undici, timeoutMs: 60_000 });
  });
  await step(`consumers on Node ${version}: the g4f bin from @g4f/cli's tarball`, async () => {
    // `npx @g4f/cli --help` as a user types it (--offline: the installed package, never a
    // download), then the bin itself with this Node: a chat through a bundled replica and the
    // provider list.
    if (node === process.execPath) {
      const help = await run('npx', ['--offline', '@g4f/cli', '--help'], { cwd: projects.cli });
      check(/Usage: g4f/.test(help) && /\bserve\b/.test(help), `npx @g4f/cli --help:\n${help}`);
    }
    const bin = join(projects.cli, 'node_modules', '@g4f', 'cli', 'dist', 'bin.js');
    const answer = await run(node, [bin, 'chat', '--replicas', '-p', 'Acytoo', 'Hello'], {
      cwd: projects.cli,
      timeoutMs: 60_000,
    });
    check(/Acytoo replica/.test(answer), `g4f chat --replicas answered:\n${answer}`);
    const listed = JSON.parse(await run(node, [bin, 'providers', '--json'], { cwd: projects.cli }));
    check(listed.length === 5, `g4f providers --json listed ${listed.length} providers`);
  });
  await step(`consumers on Node ${version}: vitest 3 project`, () =>
    run(node, ['node_modules/vitest/vitest.mjs', 'run'], {
      cwd: projects.vitest3,
      timeoutMs: 120_000,
    }),
  );
}
