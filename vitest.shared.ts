import { defineConfig } from 'vitest/config';

/**
 * The test setup every package shares; each package runs `vitest run --config
 * ../../vitest.shared.ts` from its own folder, so `root` is that package.
 */
export default defineConfig({
  root: process.cwd(),
  define: { __PACKAGE_VERSION__: JSON.stringify('0.0.0-test') },
  test: {
    include: ['src/**/*.test.ts'],
    testTimeout: 20_000,
  },
});
