// The documented release flow against a real registry: verdaccio on loopback (no uplinks,
// nothing leaves the machine), in a copy of the repository so `changeset version` changes
// nothing here; then a fresh npm project installs @g4f/websim from it and runs chat and image,
// and `npx @g4f/cli --help` runs the published bin.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import {
  check,
  killGroup,
  NPM_FLAGS,
  pnpm,
  publishablePackages,
  ROOT,
  removeScratch,
  run,
  scratchDir,
  step,
} from './lib.mjs';

const REGISTRY_TIMEOUT_MS = 480_000;

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForRegistry(url, child, log) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    check(child.exitCode === null, `verdaccio exited:\n${readFileSync(log, 'utf8')}`);
    try {
      if ((await fetch(`${url}-/ping`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`verdaccio did not answer within 60 s:\n${readFileSync(log, 'utf8')}`);
}

/** Runs the round trip; the registry is stopped by its pid whatever happens. */
export async function registryRoundTrip() {
  const scratch = scratchDir('registry');
  let child;
  const timer = setTimeout(() => child && killGroup(child.pid), REGISTRY_TIMEOUT_MS);
  const statusBefore = await run('git', ['status', '--porcelain']);
  try {
    const repo = join(scratch, 'repo');
    mkdirSync(repo);
    await step('registry: copy the repository and install (frozen lockfile)', async () => {
      await run('bash', [
        '-c',
        `git ls-files -z -co --exclude-standard | tar --null -T - -cf - | tar -xf - -C "${repo}"`,
      ]);
      await pnpm(['install', '--frozen-lockfile', '--prefer-offline'], { cwd: repo });
    });
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const config = join(scratch, 'verdaccio.yaml');
    writeFileSync(
      config,
      [
        `storage: ${join(scratch, 'storage')}`,
        'auth:',
        '  htpasswd:',
        `    file: ${join(scratch, 'htpasswd')}`,
        'uplinks: {}',
        'packages:',
        "  '@g4f/*':",
        '    access: $all',
        '    publish: $authenticated',
        "  '**':",
        '    access: $all',
        'log: { type: stdout, format: pretty, level: warn }',
        '',
      ].join('\n'),
    );
    const log = join(scratch, 'verdaccio.log');
    await step(`registry: start verdaccio on ${url}`, async () => {
      const out = (await import('node:fs')).openSync(log, 'a');
      child = spawn(
        process.execPath,
        [
          join(ROOT, 'node_modules', 'verdaccio', 'bin', 'verdaccio'),
          '--config',
          config,
          '--listen',
          `127.0.0.1:${port}`,
        ],
        { stdio: ['ignore', out, out], detached: true },
      );
      await waitForRegistry(url, child, log);
    });
    const token = await step('registry: add a publishing user', async () => {
      const response = await fetch(`${url}-/user/org.couchdb.user:release-check`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'release-check', password: 'release-check-password' }),
      });
      const body = await response.json();
      check(response.ok && body.token, `adduser: ${response.status} ${JSON.stringify(body)}`);
      return body.token;
    });
    const npmrc = join(scratch, 'npmrc');
    writeFileSync(npmrc, `@g4f:registry=${url}\n//127.0.0.1:${port}/:_authToken=${token}\n`);
    // changesets reads the scope's registry from this variable; everything else stays on npmjs.
    const env = { NPM_CONFIG_USERCONFIG: npmrc, 'npm_config_@g4f:registry': url };
    const before = new Map(
      publishablePackages(repo).map((p) => [p.manifest.name, p.manifest.version]),
    );
    const versions = await step('registry: pnpm version-packages (changeset version)', async () => {
      await pnpm(['version-packages'], { cwd: repo, env });
      const after = new Map(publishablePackages(repo).map((p) => [p.manifest.name, p]));
      for (const [name, version] of before) {
        const p = after.get(name);
        if (version === '0.0.0') {
          check(p.manifest.version === '0.1.0', `${name}: first version ${p.manifest.version}`);
        }
        const changelog = join(p.dir, 'CHANGELOG.md');
        if (p.manifest.version !== version) {
          check(
            existsSync(changelog) &&
              readFileSync(changelog, 'utf8').includes(`## ${p.manifest.version}`),
            `${name}: CHANGELOG.md has no ${p.manifest.version} entry`,
          );
        }
      }
      return new Map([...after].map(([name, p]) => [name, p.manifest.version]));
    });
    await step('registry: pnpm release (turbo build, changeset publish)', () =>
      pnpm(['release'], { cwd: repo, env, timeoutMs: 300_000 }),
    );
    await step('registry: every package published at its new version', async () => {
      for (const [name, version] of versions) {
        const doc = await (await fetch(`${url}${name.replace('/', '%2f')}`)).json();
        check(doc.versions?.[version], `${name}@${version} is not on the registry`);
        check(
          doc['dist-tags']?.latest === version,
          `${name}: latest is ${doc['dist-tags']?.latest}`,
        );
        const deps = JSON.stringify(doc.versions[version].dependencies ?? {});
        check(!deps.includes('workspace:'), `${name}@${version} published workspace: ranges`);
      }
    });
    await step('registry: npm install @g4f/websim in a fresh project; chat and image', async () => {
      const app = join(scratch, 'app');
      mkdirSync(app);
      writeFileSync(join(app, 'package.json'), '{"name":"app","private":true,"type":"module"}');
      await run('npm', ['install', ...NPM_FLAGS, '@g4f/websim'], {
        cwd: app,
        env: { NPM_CONFIG_USERCONFIG: npmrc },
      });
      copyFileSync(join(ROOT, 'scripts', 'consumer', 'websim.mjs'), join(app, 'websim.mjs'));
      const out = await run(process.execPath, ['websim.mjs', versions.get('@g4f/websim')], {
        cwd: app,
        timeoutMs: 60_000,
      });
      process.stdout.write(out);
    });
    await step('registry: npx @g4f/cli --help, as a user runs it', async () => {
      const empty = join(scratch, 'npx');
      mkdirSync(empty);
      // A cache of its own: npx reuses an earlier install of the same version from the user's
      // cache, which an earlier round trip (same 0.1.0, other code) may have left there.
      const help = await run('npx', ['--yes', '@g4f/cli', '--help'], {
        cwd: empty,
        env: { NPM_CONFIG_USERCONFIG: npmrc, NPM_CONFIG_CACHE: join(scratch, 'npx-cache') },
        timeoutMs: 240_000,
      });
      check(/Usage: g4f/.test(help), `npx @g4f/cli --help printed:\n${help}`);
    });
  } finally {
    clearTimeout(timer);
    if (child) {
      killGroup(child.pid);
      if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
    }
    removeScratch(scratch);
  }
  const statusAfter = await run('git', ['status', '--porcelain']);
  check(statusAfter === statusBefore, 'the registry round trip changed files in the repository');
}

if (import.meta.url === `file://${process.argv[1]}`) await registryRoundTrip();
