import { packageBuild } from '../../tsup.package.js';

// The bin is ESM only (the `bin` field points at dist/bin.js); splitting keeps it a few lines
// that import the shared chunk instead of a second copy of the whole CLI.
export default packageBuild(
  { index: 'src/index.ts', bin: 'src/bin.ts' },
  { splitting: true, dts: { entry: { index: 'src/index.ts' } } },
);
