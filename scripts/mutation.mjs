// `pnpm mutation [stryker options]`: runs Stryker with stryker.config.mjs, then checks the score
// of every mutated file, not only the total that Stryker's own `thresholds.break` checks: one
// weak file must not hide behind strong ones. See docs/mutation-testing.md.
//
// `pnpm mutation:providers [stryker options]` (`--providers`) does the same for the main file
// of every provider package, one package after the other, and sums up at the end.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Lowest mutation score, in percent, that any one file may have. */
const PER_FILE_BREAK = 85;

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const require = createRequire(import.meta.url);
// The package's exports hide its bin file; find it next to its package.json.
const stryker = join(
  dirname(require.resolve('@stryker-mutator/core/package.json')),
  'bin/stryker.js',
);

/** Runs Stryker on one package (`MUTATE_PACKAGE`, else from the args) and scores its files. */
function runPackage(args, env) {
  const started = Date.now();
  const run = spawnSync(process.execPath, [stryker, 'run', ...args], { stdio: 'inherit', env });
  if (run.error) throw run.error;
  const name = env.MUTATE_PACKAGE ?? packageOf(args);
  const reportPath = `reports/mutation/${name}.json`;
  const files = [];
  let silent = [];
  if (existsSync(reportPath)) {
    const report = JSON.parse(readFileSync(reportPath, 'utf8'));
    for (const [file, { mutants }] of Object.entries(report.files)) {
      files.push({ file: relative(root, join(root, file)), ...score(mutants) });
    }
    silent = testsThatDidNotRun(
      name,
      Object.keys(report.files),
      Object.keys(report.testFiles ?? {}),
    );
  }
  return { name, status: run.status ?? 1, files, silent, seconds: (Date.now() - started) / 1000 };
}

/**
 * Test files of the package that import a mutated file but ran no test under Stryker. A test
 * file that fails to load in the sandbox (an import from outside it, say) is dropped without an
 * error, and every mutant it would have killed then counts as missed for no visible reason.
 */
function testsThatDidNotRun(name, mutated, ran) {
  const ranSet = new Set(ran.map((file) => relative(root, join(root, file))));
  const modules = mutated.map((file) => `/${basename(file, '.ts')}.js'`);
  return listTests(`packages/${name}/src`).filter((test) => {
    if (ranSet.has(test)) return false;
    const text = readFileSync(test, 'utf8');
    return modules.some((module) => text.includes(module));
  });
}

function listTests(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return listTests(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The package a run mutates when MUTATE_PACKAGE is unset, as stryker.config.mjs decides it. */
function packageOf(args) {
  const i = args.findIndex((arg) => arg === '--mutate' || arg === '-m');
  const mutate = i >= 0 ? args[i + 1] : args.find((arg) => arg.startsWith('--mutate='));
  const match = /(?:^|[\\/])packages[\\/]([^\\/]+)/.exec(mutate ?? '');
  return match ? match[1] : 'core';
}

const detected = new Set(['Killed', 'Timeout']);
const undetected = new Set(['Survived', 'NoCoverage']);

/** Killed or timed out over all that ran or had no test, as Stryker counts it. */
function score(mutants) {
  const caught = mutants.filter((m) => detected.has(m.status)).length;
  const missed = mutants.filter((m) => undetected.has(m.status)).length;
  return {
    caught,
    missed,
    percent: caught + missed === 0 ? 100 : (caught / (caught + missed)) * 100,
  };
}

function printScores(results) {
  console.log(`\nPer-file mutation score (break below ${PER_FILE_BREAK}%):`);
  for (const { name, files, seconds } of results) {
    if (results.length > 1) console.log(`  ${name} (${Math.round(seconds)} s)`);
    for (const { file, caught, missed, percent } of files) {
      console.log(
        `  ${percent.toFixed(2).padStart(6)}%  ${file}  (${caught} caught, ${missed} missed)`,
      );
    }
  }
}

/**
 * A `--mutate` list never mutates tests or fixtures, whatever its globs match. Only a glob can
 * match them (Stryker warns about an exclusion that excludes nothing).
 */
function withoutTests(list) {
  return list.includes('*') ? `${list},!**/*.test.ts,!**/__fixtures__/**` : list;
}

const args = process.argv.slice(2);
const providers = args.includes('--providers');
const strykerArgs = args
  .filter((arg) => arg !== '--providers')
  .map((arg, i, all) => {
    if (arg.startsWith('--mutate='))
      return `--mutate=${withoutTests(arg.slice('--mutate='.length))}`;
    return all[i - 1] === '--mutate' || all[i - 1] === '-m' ? withoutTests(arg) : arg;
  });

let results;
if (providers) {
  const { isProviderPackage } = await import('../stryker.config.mjs');
  const names = readdirSync('packages').filter((name) => isProviderPackage(name));
  results = names.map((name) => {
    const reportPath = `reports/mutation/${name}.json`;
    // A stale report from an earlier run must not stand in for a run that failed to write one.
    rmSync(reportPath, { force: true });
    return runPackage(strykerArgs, { ...process.env, MUTATE_PACKAGE: name });
  });
} else {
  const name = process.env.MUTATE_PACKAGE ?? packageOf(strykerArgs);
  rmSync(`reports/mutation/${name}.json`, { force: true });
  results = [runPackage(strykerArgs, process.env)];
}

printScores(results);
const noReport = results.filter((result) => result.files.length === 0).map((result) => result.name);
const silent = results.flatMap((result) => result.silent);
if (silent.length > 0) {
  console.error(
    `\nmutation: these tests import a mutated file but ran no test: ${silent.join(', ')}`,
  );
}
const weak = results.flatMap(({ files }) =>
  files.filter((f) => f.percent < PER_FILE_BREAK).map((f) => f.file),
);
if (noReport.length > 0) console.error(`\nmutation: no report for ${noReport.join(', ')}`);
if (weak.length > 0) console.error(`\nmutation: below ${PER_FILE_BREAK}%: ${weak.join(', ')}`);
const failed =
  noReport.length > 0 ||
  silent.length > 0 ||
  weak.length > 0 ||
  results.some((result) => result.status !== 0);
process.exit(failed ? 1 : 0);
