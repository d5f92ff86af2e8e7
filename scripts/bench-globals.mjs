// Preloaded by the benches that import a package's source (`node --import tsx --import
// ../../scripts/bench-globals.mjs bench/x.ts`): the build and the test config define
// __PACKAGE_VERSION__, and a bench run from source needs it too.
globalThis.__PACKAGE_VERSION__ = '0.0.0-bench';
