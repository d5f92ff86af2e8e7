import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { AURA_ROUTE, type AuraReplica, createAuraReplica } from '@g4f/aura/replica';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertBuilt, BIN } from './testing/spawn-cli.js';

// `g4f chat` with no prompt on a terminal, driven through tmux: a real pseudo-terminal, real
// keystrokes (Enter, Ctrl-C, Ctrl-D), and the screen as a user sees it.

const ENSURE_TMUX = fileURLToPath(new URL('../../../scripts/ensure-tmux.mjs', import.meta.url));
// A socket of our own, so the test never touches a tmux server the user is running.
const SOCKET = `g4f-cli-test-${process.pid}`;
const SESSION = 'chat';

let aura: AuraReplica;

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

const count = (text: string, part: string) => text.split(part).length - 1;

beforeAll(async () => {
  execFileSync(process.execPath, [ENSURE_TMUX], { stdio: 'inherit' });
  assertBuilt();
  aura = await createAuraReplica();
});
afterAll(async () => {
  try {
    tmux('kill-server');
  } catch {
    // the server ended with its last session
  }
  await aura.close();
});

describe('g4f chat on a terminal', () => {
  it('keeps the conversation, stops an answer on Ctrl-C without leaving, and exits on Ctrl-D', async () => {
    aura.state.answer = 'First answer.';
    aura.state.chunkDelayMs = 5;
    tmux(
      'new-session',
      '-d',
      '-s',
      SESSION,
      '-x',
      '120',
      '-y',
      '40',
      process.execPath,
      BIN,
      'chat',
      '-p',
      'Aura',
      '--base-url',
      `Aura=${aura.url}`,
    );
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
    await waitFor((s) => s.includes('Still here.'), 'an answer after Ctrl-C');
    expect(tmux('display-message', '-p', '-t', SESSION, '#{pane_dead}').trim()).toBe('0');

    tmux('send-keys', '-t', SESSION, 'C-d');
    // tmux marks the pane dead when the terminal closes, which can come before it has reaped
    // the process: wait for the exit status (or the signal) itself.
    const deadline = Date.now() + 10_000;
    const ending = () =>
      tmux('display-message', '-p', '-t', SESSION, '#{pane_dead_status}#{pane_dead_signal}').trim();
    while (ending() === '') {
      if (Date.now() > deadline) throw new Error(`Ctrl-D did not end the chat:\n${screen()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(tmux('display-message', '-p', '-t', SESSION, '#{pane_dead_status}').trim()).toBe('0');
  });

  it('uses no colour on a terminal when NO_COLOR is set', async () => {
    const session = 'nocolour';
    tmux(
      'new-session',
      '-d',
      '-s',
      session,
      '-x',
      '100',
      '-y',
      '20',
      'env',
      'NO_COLOR=1',
      process.execPath,
      BIN,
      'chat',
      '-p',
      'Aura',
      '--base-url',
      `Aura=${aura.url}`,
    );
    await waitFor((s) => s.includes('Ctrl-D leaves') && /^> /m.test(s), 'the prompt', session);
    expect(styledScreen(session)).not.toContain('\u001b[');
    tmux('send-keys', '-t', session, 'C-d');
  });
});
