// The release checks `pnpm test` runs after turbo's build, typecheck, lint and test: package
// rules and tarballs, npm consumers on Node 20, 22 and 24, the test suites again on 22 and 24,
// and a round trip through a local registry. Any failure fails the run.

import { prepareConsumers, runConsumers } from './check-consumer.mjs';
import { checkPackages } from './check-packages.mjs';
import { registryRoundTrip } from './check-registry.mjs';
import { killActive, removeScratch, run, scratchDir, step, workspacePackages } from './lib.mjs';
import { EXTRA_NODE_VERSIONS, nodeBinary } from './node-versions.mjs';

const started = performance.now();
const scratch = scratchDir('release');
// An interrupted run ends the commands it started and removes its scratch folder.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    killActive();
    removeScratch(scratch);
    process.exit(130);
  });
}
try {
  const tarballs = await checkPackages(scratch);
  const projects = await prepareConsumers(tarballs, scratch);
  await runConsumers(projects);
  for (const version of EXTRA_NODE_VERSIONS) {
    const node = await step(`fetch Node ${version}`, () => nodeBinary(version));
    for (const p of workspacePackages().filter((w) => w.manifest.scripts?.test)) {
      await step(`Node ${version}: ${p.manifest.name} tests (vitest run)`, () =>
        run(node, ['node_modules/vitest/vitest.mjs', 'run'], { cwd: p.dir, timeoutMs: 300_000 }),
      );
    }
    await runConsumers(projects, node);
  }
  await registryRoundTrip();
  console.log(`\nrelease checks passed in ${((performance.now() - started) / 1000).toFixed(0)} s`);
} finally {
  removeScratch(scratch);
}
