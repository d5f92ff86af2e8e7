// `pnpm mutation [stryker options]`: runs Stryker with stryker.config.mjs, then checks the score
// of every mutated file, not only the total that Stryker's own `thresholds.break` checks: one
// weak file must not hide behind strong ones. See docs/mutation-testing.md.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';

/** Lowest mutation score, in percent, that any one file may have. */
const PER_FILE_BREAK = 85;

const args = process.argv.slice(2);
const require = createRequire(import.meta.url);
// The package's exports hide its bin file; find it next to its package.json.
const stryker = join(dirname(require.resolve('@stryker-mutator/core/package.json')), 'bin/stryker.js');
const run = spawnSync(process.execPath, [stryker, 'run', ...args], { stdio: 'inherit' });
if (run.error) throw run.error;

const config = (await import('../stryker.config.mjs')).default;
const reportPath = config.jsonReporter.fileName;
if (!existsSync(reportPath)) {
  console.error(`mutation: no report at ${reportPath}`);
  process.exit(run.status ?? 1);
}

const report = JSON.parse(readFileSync(reportPath, 'utf8'));
const detected = new Set(['Killed', 'Timeout']);
const undetected = new Set(['Survived', 'NoCoverage']);
const weak = [];
console.log(`\nPer-file mutation score (break below ${PER_FILE_BREAK}%):`);
for (const [file, { mutants }] of Object.entries(report.files)) {
  const caught = mutants.filter((m) => detected.has(m.status)).length;
  const missed = mutants.filter((m) => undetected.has(m.status)).length;
  const score = caught + missed === 0 ? 100 : (caught / (caught + missed)) * 100;
  const name = relative(process.cwd(), file);
  console.log(`  ${score.toFixed(2).padStart(6)}%  ${name}  (${caught} caught, ${missed} missed)`);
  if (score < PER_FILE_BREAK) weak.push(name);
}
if (weak.length > 0) {
  console.error(`\nmutation: below ${PER_FILE_BREAK}%: ${weak.join(', ')}`);
  process.exit(1);
}
process.exit(run.status ?? 1);
