// Mutation testing (StrykerJS + its vitest runner), run with `pnpm mutation`. Not part of
// `pnpm test`: see docs/mutation-testing.md for how to run it and what it covers.
//
// One config for the whole workspace. It mutates one package at a time, running that package's
// tests with the shared vitest config rooted at it (G4F_TEST_PACKAGE_DIR). The package is
//   1. $MUTATE_PACKAGE (a folder name under packages/, e.g. `core` or `websim`), else
//   2. the package of the first `--mutate`/`-m` path on the command line, else
//   3. `core`.
// Without `--mutate`, a package's covered files are mutated: `coveredFiles` below, else a
// provider's main file, else all of the package's `src/**/*.ts` but tests.
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** Files mutated when no `--mutate` is given, per package (paths from the repository root). */
const coveredFiles = {
  core: [
    'packages/core/src/stream/**/*.ts',
    'packages/core/src/credentials/**/*.ts',
    'packages/core/src/provider/**/*.ts',
    'packages/core/src/http/**/*.ts',
  ],
};

/**
 * Whether `packages/<name>` is a provider: its main file `src/<name>.ts` has a test file that
 * runs the provider conformance suite. `pnpm mutation:providers` runs every such package.
 */
export function isProviderPackage(name) {
  const test = `packages/${name}/src/${name}.test.ts`;
  return (
    existsSync(`packages/${name}/src/${name}.ts`) &&
    existsSync(test) &&
    readFileSync(test, 'utf8').includes('runProviderConformance')
  );
}

function mutateArgument() {
  const argv = process.argv;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--mutate' || arg === '-m') return argv[i + 1];
    if (arg.startsWith('--mutate=')) return arg.slice('--mutate='.length);
  }
  return undefined;
}

function packageName() {
  if (process.env.MUTATE_PACKAGE) return process.env.MUTATE_PACKAGE;
  const match = /(?:^|[\\/])packages[\\/]([^\\/]+)/.exec(mutateArgument() ?? '');
  return match ? match[1] : 'core';
}

const name = packageName();
const dir = `packages/${name}`;
if (!existsSync(`${dir}/package.json`)) {
  throw new Error(`stryker.config.mjs: no package at ${dir} (MUTATE_PACKAGE=${name})`);
}

// The vitest runner starts in Stryker's sandbox root; the shared config reads this to find the
// package's tests. Child processes inherit it.
process.env.G4F_TEST_PACKAGE_DIR = dir;

// Stryker warns about an exclusion that excludes nothing: name fixtures only where they are.
const hasFixtures = readdirSync(`${dir}/src`, { recursive: true }).some((path) =>
  String(path).endsWith('__fixtures__'),
);
const notTests = [`!${dir}/**/*.test.ts`, ...(hasFixtures ? [`!${dir}/**/__fixtures__/**`] : [])];
const defaultFiles =
  coveredFiles[name] ??
  (isProviderPackage(name) ? [`${dir}/src/${name}.ts`] : [`${dir}/src/**/*.ts`]);

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  // pnpm does not hoist plugins where Stryker's own discovery looks for them.
  plugins: ['@stryker-mutator/vitest-runner'],
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.shared.ts', dir },
  // Type errors in a mutant are not test failures: the TypeScript checker is not used on
  // purpose (it would double the run time), so such mutants show as killed at run time.
  mutate: defaultFiles.some((file) => file.includes('*'))
    ? [...defaultFiles, ...notTests]
    : defaultFiles,
  coverageAnalysis: 'perTest',
  // Only the package under test, the root configs and the testing kit go into the sandbox:
  // core's tests import the kit's forward proxy by relative path, and a test file whose import
  // is missing would silently not run.
  ignorePatterns: [
    '/packages/*',
    `!/${dir}`,
    '!/packages/testing',
    '/reports',
    '/.turbo',
    '**/dist',
    '**/.turbo',
  ],
  // `--incremental` (the `pnpm mutation:incremental` script) reuses results of unchanged
  // code and tests; one file per package so runs on different packages do not collide.
  incrementalFile: `reports/stryker-incremental-${name}.json`,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${name}.html` },
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  // Every covered file must keep at least `break`; `pnpm mutation` exits non-zero below it.
  thresholds: { high: 90, low: 85, break: 85 },
  concurrency: 2,
  timeoutMS: 5_000,
  tempDirName: '.stryker-tmp',
  cleanTempDir: true,
};
