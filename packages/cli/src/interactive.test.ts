import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AURA_ROUTE, type AuraReplica, createAuraReplica } from '@g4f/aura/replica';
import {
  createOpenaiCompatibleReplica,
  type OpenaiCompatibleReplica,
} from '@g4f/openai-compatible/replica';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, BIN } from './testing/spawn-cli.js';

// `g4f chat` with no prompt on a terminal, driven through tmux: a real pseudo-terminal, real
// keystrokes (Enter, Ctrl-C, Ctrl-D), and the screen as a user sees it.

const ENSURE_TMUX = fileURLToPath(new URL('../../../scripts/ensure-tmux.mjs', import.meta.url));
// A socket of our own, so the test never touches a tmux server the user is running.
const SOCKET = `g4f-cli-test-${process.pid}`;
const SESSION = 'chat';

let aura: AuraReplica;
let upstream: OpenaiCompatibleReplica;

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
}

function screen(session = SESSION): string {
  return tmux('capture-pane', '-p', '-J', '-S', '-200', '-t', session);
}

/** The screen with its colour and style escapes. */
function styledScreen(session = SESSION): string {
  return tmux('capture-pane', '-p', '-e', '-t', session);
}

/** Polls the screen until `test` holds; fails with the screen after `timeoutMs`. */
async function waitFor(
  test: (text: string) => boolean,
  what: string,
  session = SESSION,
  timeoutMs = 12_000,
) {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    last = screen(session);
    if (test(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}; the screen:\n${last}`);
}

/**
 * A pane command's prefix that runs the rest under `sh` and prints `[exit N]` when it ends:
 * tmux sometimes leaves a dead pane's process unreaped for seconds under load (no
 * `pane_dead_status`), while the shell reaps its child at once.
 */
function reportingExit(redirectTo?: string): string[] {
  const run = redirectTo === undefined ? '"$@"' : '"$@" > "$out"';
  return ['sh', '-c', `out=$1; shift; ${run}; echo "[exit $?]"`, 'sh', redirectTo ?? ''];
}

/** Waits for the `[exit N]` of a {@link reportingExit} command and gives `N`. */
async function exitStatus(session: string): Promise<string> {
  const text = await waitFor((s) => /\[exit \d+\]/.test(s), 'the command to end', session);
  return /\[exit (\d+)\]/.exec(text)?.[1] ?? '';
}

/** Starts `command` in a new detached tmux session of the given size. */
function startSession(session: string, size: [number, number], command: string[]): void {
  tmux(
    'new-session',
    '-d',
    '-s',
    session,
    '-x',
    String(size[0]),
    '-y',
    String(size[1]),
    ...command,
  );
}

/** `g4f chat` on a terminal, talking to the Aura replica. */
const auraChat = () => [
  process.execPath,
  BIN,
  'chat',
  '-p',
  'Aura',
  '--base-url',
  `Aura=${aura.url}`,
];

const count = (text: string, part: string) => text.split(part).length - 1;

beforeAll(async () => {
  execFileSync(process.execPath, [ENSURE_TMUX], { stdio: 'inherit' });
  assertBuilt();
  aura = await createAuraReplica();
  upstream = await createOpenaiCompatibleReplica({
    reasoning: 'Weighing the tides first.',
    answer: 'The lighthouse answer.',
  });
});
afterAll(async () => {
  try {
    tmux('kill-server');
  } catch {
    // the server ended with its last session
  }
  await Promise.all([aura.close(), upstream.close()]);
});

describe('g4f chat on a terminal', () => {
  it('keeps the conversation, stops an answer on Ctrl-C without leaving, and exits on Ctrl-D', async () => {
    aura.state.answer = 'First answer.';
    aura.state.chunkDelayMs = 5;
    startSession(SESSION, [120, 40], [...reportingExit(), ...auraChat()]);
    tmux('set-option', '-t', SESSION, 'remain-on-exit', 'on');
    await waitFor((s) => s.includes('Ctrl-D leaves') && /^> /m.test(s), 'the first prompt');
    // On a terminal the banner is dim and the prompt bold: the screen carries SGR escapes.
    expect(styledScreen()).toContain('\u001b[');

    tmux('send-keys', '-t', SESSION, 'What is tmux?', 'Enter');
    await waitFor((s) => s.includes('First answer.') && count(s, '\n> ') >= 2, 'the first answer');

    aura.state.answer = 'Second answer.';
    tmux('send-keys', '-t', SESSION, 'And screen?', 'Enter');
    await waitFor((s) => s.includes('Second answer.'), 'the second answer');
    const turns = aura.callsTo(AURA_ROUTE);
    expect(turns).toHaveLength(2);
    const second = JSON.stringify(turns[1]?.json);
    // The second request carries the whole conversation, in order.
    const order = ['What is tmux?', 'First answer.', 'And screen?'].map((t) => second.indexOf(t));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);

    // A long, slow answer: Ctrl-C stops it once it has started, and the chat goes on.
    aura.state.answer = `${'slow words '.repeat(80)}END`;
    aura.state.chunkBytes = 4;
    aura.state.chunkDelayMs = 60;
    tmux('send-keys', '-t', SESSION, 'Tell me a long story', 'Enter');
    await waitFor((s) => s.includes('slow words'), 'the slow answer to start');
    tmux('send-keys', '-t', SESSION, 'C-c');
    const stopped = await waitFor((s) => s.includes('[stopped]'), 'the answer to stop');
    expect(stopped).not.toContain('END');
    // The upstream socket is closed, not left to finish the answer in the background.
    await waitFor(() => aura.callsTo(AURA_ROUTE)[2]?.closedEarly === true, 'the socket to close');
    expect(aura.callsTo(AURA_ROUTE)[2]?.finished).toBe(false);

    aura.state.answer = 'Still here.';
    aura.state.chunkDelayMs = 5;
    tmux('send-keys', '-t', SESSION, 'Are you there?', 'Enter');
    // Ctrl-D is sent once the prompt is back, as a user would: the answer has been written.
    await waitFor((s) => /Still here\.\n>$/.test(s.trimEnd()), 'the prompt after an answer');
    expect(tmux('display-message', '-p', '-t', SESSION, '#{pane_dead}').trim()).toBe('0');

    tmux('send-keys', '-t', SESSION, 'C-d');
    expect(await exitStatus(SESSION)).toBe('0');
  });

  it('uses no colour on a terminal when NO_COLOR is set', async () => {
    const session = 'nocolour';
    startSession(session, [100, 20], ['env', 'NO_COLOR=1', ...auraChat()]);
    await waitFor((s) => s.includes('Ctrl-D leaves') && /^> /m.test(s), 'the prompt', session);
    expect(styledScreen(session)).not.toContain('\u001b[');
    tmux('send-keys', '-t', session, 'C-d');
  });

  it('shows reasoning dimmed on a terminal stderr while stdout gets the answer alone', async () => {
    const session = 'reasoning';
    const dir = mkdtempSync(join(tmpdir(), 'g4f-cli-'));
    const out = join(dir, 'answer.txt');
    try {
      // stdout into a file, stderr on the terminal: what `g4f chat … > file` does in a shell.
      startSession(
        session,
        [100, 20],
        [
          ...reportingExit(out),
          process.execPath,
          BIN,
          'chat',
          '-p',
          'OpenaiTemplate',
          '-m',
          'gpt-4o-mini',
          '--base-url',
          `OpenaiTemplate=${upstream.baseUrl}`,
          'Hi',
        ],
      );
      tmux('set-option', '-t', session, 'remain-on-exit', 'on');
      expect(await exitStatus(session)).toBe('0');
      expect(readFileSync(out, 'utf8')).toBe('The lighthouse answer.\n');
      expect(screen(session)).toContain('Weighing the tides first.');
      expect(screen(session)).not.toContain('The lighthouse answer.');
      // Dim (SGR 2) around the reasoning.
      // (The pane's history holds the first lines once it is dead: capture from there.)
      const styled = tmux('capture-pane', '-p', '-e', '-S', '-200', '-t', session);
      expect(styled).toContain('\u001b[2mWeighing the tides first.');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
