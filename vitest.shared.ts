import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Stryker runs vitest from the root of its sandbox copy, so it names the package under test in
// G4F_TEST_PACKAGE_DIR (a path from the repository root); everyone else runs from the package.
const packageDir = process.env.G4F_TEST_PACKAGE_DIR;

/**
 * The test setup every package shares; each package runs `vitest run --config
 * ../../vitest.shared.ts` from its own folder, so `root` is that package (or the one
 * G4F_TEST_PACKAGE_DIR names).
 */
export default defineConfig({
  root: packageDir ? resolve(dirname(fileURLToPath(import.meta.url)), packageDir) : process.cwd(),
  define: { __PACKAGE_VERSION__: JSON.stringify('0.0.0-test') },
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 20_000,
  },
});
