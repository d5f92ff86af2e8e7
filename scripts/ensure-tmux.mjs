// Makes sure tmux is on the PATH for @g4f/cli's interactive-mode tests, which drive `g4f chat`
// in a real pseudo-terminal. On a clean Debian machine (CI runs as root) it installs Debian's
// tmux package with apt-get; elsewhere it says what to install. Exits non-zero when tmux is
// still missing, so the tests fail loudly instead of being skipped.
import { spawnSync } from 'node:child_process';

function hasTmux() {
  return spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;
}

function sh(command, args) {
  const r = spawnSync(command, args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return r.status === 0;
}

if (!hasTmux()) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const apt = spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
  if (root && apt) {
    console.error('tmux is missing: installing it with apt-get');
    if (!sh('apt-get', ['install', '-y', '--no-install-recommends', 'tmux'])) {
      sh('apt-get', ['update']);
      sh('apt-get', ['install', '-y', '--no-install-recommends', 'tmux']);
    }
  }
  if (!hasTmux()) {
    console.error(
      'tmux is needed by the interactive-mode tests of @g4f/cli: install it (Debian: apt-get install tmux)',
    );
    process.exit(1);
  }
}
