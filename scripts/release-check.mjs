// The release checks `pnpm test` runs after turbo's build, typecheck, lint and test: package
// rules and tarballs, npm consumers on Node 20, 22 and 24, the test suites again on 22 and 24,
// each package's `test:release` script (a `node <file>` command), and a round trip through a local registry. Any failure fails the run.

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
        run(node, ['node_modules/vitest/vitest.mjs', 'run', '--config', '../../vitest.shared.ts'], {
          cwd: p.dir,
          timeoutMs: 300_000,
        }),
      );
    }
    await runConsumers(projects, node);
  }
  // A package's own release-only check (the ai-sdk's smoke test with ai 7 on Node 24).
  for (const p of workspacePackages().filter((w) => w.manifest.scripts?.['test:release'])) {
    await step(`${p.manifest.name}: test:release`, () =>
      run(process.execPath, p.manifest.scripts['test:release'].split(' ').slice(1), {
        cwd: p.dir,
        timeoutMs: 300_000,
      }),
    );
  }
  await registryRoundTrip();
  console.log(`\nrelease checks passed in ${((performance.now() - started) / 1000).toFixed(0)} s`);
} finally {
  removeScratch(scratch);
}
