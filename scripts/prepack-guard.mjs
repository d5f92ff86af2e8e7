// Runs as each package's `prepack`. npm, and yarn 1, would ship `workspace:` ranges as they are
// (an uninstallable package), so only pnpm, which rewrites them to real versions while packing,
// may pack a manifest that has them. Packing before a build would ship no code, so every file
// the manifest points to must exist.
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';

const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
const problems = [];
// npm and pnpm both set npm_execpath to themselves for lifecycle scripts; the user agent is
// not enough, since npm started from a pnpm script inherits pnpm's.
const packer = basename(process.env.npm_execpath ?? '');
const workspaceRanges = Object.entries({
  ...manifest.dependencies,
  ...manifest.peerDependencies,
  ...manifest.optionalDependencies,
}).filter(([, range]) => String(range).startsWith('workspace:'));
if (workspaceRanges.length > 0 && !packer.startsWith('pnpm')) {
  problems.push(
    `${workspaceRanges.map(([name, range]) => `"${name}": "${range}"`).join(', ')} would ship ` +
      `unchanged: pack and publish with pnpm (\`pnpm pack\`, or \`pnpm release\` from the ` +
      `repository root), never with ${packer || 'this client'}.`,
  );
}
const targets = new Set([manifest.main, manifest.module, manifest.types].filter(Boolean));
const walk = (value) => {
  if (typeof value === 'string') targets.add(value);
  else if (value && typeof value === 'object')
    for (const inner of Object.values(value)) walk(inner);
};
walk(manifest.exports);
const missing = [...targets].filter((file) => !existsSync(file));
if (missing.length > 0) {
  problems.push(`not built: ${missing.join(', ')} missing; run \`pnpm build\` first.`);
}
if (problems.length > 0) {
  console.error(`${manifest.name}: refusing to pack.\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
