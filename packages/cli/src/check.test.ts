import { ACYTOO_ROUTE, type AcytooReplica, createAcytooReplica } from '@g4f/acytoo/replica';
import { AURA_ROUTE, type AuraReplica, createAuraReplica } from '@g4f/aura/replica';
import {
  CHATGPTFREE_ROUTE,
  type ChatgptFreeReplica,
  createChatgptFreeReplica,
} from '@g4f/chatgptfree/replica';
import {
  createRobocodersReplica,
  ROBOCODERS_AUTH_ROUTE,
  type RobocodersReplica,
} from '@g4f/robocoders/replica';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from './commands/check.js';
import { closedPortUrl, runCli } from './testing/spawn-cli.js';

let acytoo: AcytooReplica;
let aura: AuraReplica;
let chatgptFree: ChatgptFreeReplica;
let robocoders: RobocodersReplica;
let baseUrls: string[];

beforeAll(async () => {
  [acytoo, aura, chatgptFree, robocoders] = await Promise.all([
    createAcytooReplica(),
    createAuraReplica(),
    createChatgptFreeReplica(),
    createRobocodersReplica(),
  ]);
  baseUrls = [
    `Acytoo=${acytoo.url}`,
    `Aura=${aura.url}`,
    `ChatgptFree=${chatgptFree.url}`,
    `RobocodersAPI=${robocoders.url}`,
    `Websim=${await closedPortUrl()}`,
  ].flatMap((pair) => ['--base-url', pair]);
});
afterAll(async () => {
  await Promise.all([acytoo.close(), aura.close(), chatgptFree.close(), robocoders.close()]);
});

/** One replica answers; the others fail each in their own way. */
function breakAllButAcytoo(): void {
  aura.fail(AURA_ROUTE, { kind: 'cloudflare' }, { times: 1 });
  chatgptFree.fail(
    CHATGPTFREE_ROUTE,
    { kind: 'status', status: 429, body: 'slow down' },
    { times: 1 },
  );
  robocoders.fail(ROBOCODERS_AUTH_ROUTE, { kind: 'hang' }, { times: 1 });
}

describe('g4f check', () => {
  it('sorts each provider into answers, challenge page, rate limited, timed out, unreachable (--json)', async () => {
    acytoo.state.answer = 'Hello there';
    breakAllButAcytoo();
    const r = await runCli(['check', '--json', '--timeout', '1.5', ...baseUrls]);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as CheckResult[];
    const byName = Object.fromEntries(rows.map((row) => [row.provider, row]));
    expect(rows.map((row) => row.provider)).toEqual([
      'Acytoo',
      'Aura',
      'ChatgptFree',
      'RobocodersAPI',
      'Websim',
    ]);
    expect(byName.Acytoo).toMatchObject({ status: 'ok', answer: 'Hello there', label: 'Acytoo' });
    expect(byName.Acytoo?.latencyMs).toBeGreaterThanOrEqual(0);
    expect(byName.Aura).toMatchObject({ status: 'challenge', error: { name: 'CloudflareError' } });
    expect(byName.ChatgptFree).toMatchObject({
      status: 'rate_limited',
      error: { name: 'RateLimitError' },
    });
    expect(byName.RobocodersAPI).toMatchObject({ status: 'timeout' });
    expect(byName.RobocodersAPI?.error?.name).toMatch(/^(RequestTimeoutError|TimeoutError)$/);
    expect(byName.Websim).toMatchObject({ status: 'unreachable', error: { name: 'NetworkError' } });
  });

  it('prints a table with a row per provider and the error class of each failure', async () => {
    acytoo.state.answer = 'Hello there';
    aura.fail(AURA_ROUTE, { kind: 'status', status: 401, body: 'who are you' }, { times: 1 });
    const r = await runCli(['check', 'Acytoo', 'aura', ...baseUrls]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^provider\s+status\s+latency\s+answer or error$/);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^Acytoo\s+answers\s+\d+ ms\s+“Hello there”$/);
    expect(lines[2]).toMatch(/^Aura\s+needs auth\s+\d+ ms\s+\w*Error: /);
    // Columns line up: every row's status starts where the header's does.
    const column = lines[0]?.indexOf('status');
    expect(lines[1]?.indexOf('answers')).toBe(column);
    expect(lines[2]?.indexOf('needs auth')).toBe(column);
    expect(r.stdout).not.toContain('\u001b[');
  });

  it('exits 1 when no provider answered', async () => {
    acytoo.fail(ACYTOO_ROUTE, { kind: 'status', status: 502, body: 'bad gateway' }, { times: 1 });
    const r = await runCli(['check', 'Acytoo', 'Websim', '--json', ...baseUrls]);
    expect(r.code).toBe(1);
    const rows = JSON.parse(r.stdout) as CheckResult[];
    expect(rows.map((row) => [row.provider, row.status, row.error?.name])).toEqual([
      ['Acytoo', 'error', 'ResponseStatusError'],
      ['Websim', 'unreachable', 'NetworkError'],
    ]);
  });

  it('refuses an unknown provider name with exit 2', async () => {
    const r = await runCli(['check', 'Nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown provider "Nope"/);
  });
});
