import { ACYTOO_ROUTE, type AcytooReplica, createAcytooReplica } from '@g4f/acytoo/replica';
import { AURA_ROUTE, type AuraReplica, createAuraReplica } from '@g4f/aura/replica';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPortUrl, runCli } from './testing/spawn-cli.js';

let acytoo: AcytooReplica;
let aura: AuraReplica;

beforeAll(async () => {
  [acytoo, aura] = await Promise.all([createAcytooReplica(), createAuraReplica()]);
});
afterAll(async () => {
  await Promise.all([acytoo.close(), aura.close()]);
});

const acytooUrl = () => `Acytoo=${acytoo.url}`;

describe('g4f chat', () => {
  it('streams the answer to a prompt given as arguments, with nothing decorative on a pipe', async () => {
    acytoo.state.answer = 'Bonjour, ça va? 👋';
    const before = acytoo.calls.length;
    const r = await runCli(['chat', '-p', 'acytoo', '--base-url', acytooUrl(), 'Say', 'hello']);
    expect(r).toMatchObject({ code: 0, stdout: 'Bonjour, ça va? 👋\n', stderr: '' });
    const sent = acytoo.calls.slice(before)[0]?.json as { messages: { content: string }[] };
    expect(sent.messages.at(-1)?.content).toBe('Say hello');
  });

  it('reads the prompt from stdin when none is given, and for "-"', async () => {
    acytoo.state.answer = 'from stdin';
    for (const args of [[], ['-']]) {
      const before = acytoo.calls.length;
      const r = await runCli(['chat', '-p', 'Acytoo', '--base-url', acytooUrl(), ...args], {
        input: 'What is\na pipe?\n',
      });
      expect(r).toMatchObject({ code: 0, stdout: 'from stdin\n' });
      const sent = acytoo.calls.slice(before)[0]?.json as { messages: { content: string }[] };
      expect(sent.messages.at(-1)?.content).toBe('What is\na pipe?');
    }
  });

  it('refuses an empty prompt on stdin as a usage error (exit 2)', async () => {
    const r = await runCli(['chat', '-p', 'Acytoo', '--base-url', acytooUrl()], { input: '  \n' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^g4f: UsageError: the prompt is empty/);
  });

  it('sends --system first and prints the ChatCompletion with --json', async () => {
    acytoo.state.answer = 'JSON answer';
    const before = acytoo.calls.length;
    const r = await runCli([
      'chat',
      '--json',
      '-p',
      'Acytoo',
      '--system',
      'Be brief.',
      '--base-url',
      acytooUrl(),
      'Hi',
    ]);
    expect(r.code).toBe(0);
    const completion = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(completion).toMatchObject({
      object: 'chat.completion',
      provider: 'Acytoo',
      choices: [{ index: 0, message: { role: 'assistant', content: 'JSON answer' } }],
    });
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion.usage).toMatchObject({ completion_tokens: expect.any(Number) });
    const sent = acytoo.calls.slice(before)[0]?.json as { messages: unknown[] };
    expect(sent.messages).toEqual([
      expect.objectContaining({ role: 'system', content: 'Be brief.' }),
      expect.objectContaining({ role: 'user', content: 'Hi' }),
    ]);
  });

  it('prints the whole answer once with --no-stream', async () => {
    acytoo.state.answer = 'all at once';
    const r = await runCli(['chat', '--no-stream', '-p', 'Acytoo', '--base-url', acytooUrl(), 'x']);
    expect(r).toMatchObject({ code: 0, stdout: 'all at once\n' });
  });

  it('falls back to the next provider when the first fails before answering', async () => {
    acytoo.fail(ACYTOO_ROUTE, { kind: 'status', status: 500, body: 'down' }, { times: 1 });
    const r = await runCli([
      'chat',
      '--base-url',
      acytooUrl(),
      '--base-url',
      `aura=${aura.url}`,
      '--json',
      'Hi',
    ]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ provider: 'Aura' });
  });

  it('prints the text already given, then one error line, and exits 1 when the stream is cut', async () => {
    aura.state.answer = 'The beginning of a long answer that will be cut';
    aura.fail(AURA_ROUTE, { kind: 'cut', afterBytes: 16 }, { times: 1 });
    const r = await runCli(['chat', '-p', 'Aura', '--base-url', `Aura=${aura.url}`, 'Hi']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('The beginning of\n');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^g4f: NetworkError: .*\(hint: /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('names the error class with a hint and exits 1 for an upstream failure', async () => {
    aura.fail(AURA_ROUTE, { kind: 'cloudflare' }, { times: 1 });
    const r = await runCli(['chat', '-p', 'Aura', '--base-url', `Aura=${aura.url}`, 'Hi']);
    expect(r).toMatchObject({ code: 1, stdout: '' });
    expect(r.stderr).toMatch(
      /^g4f: CloudflareError: .*\(hint: the upstream asks for a browser check; try --proxy or another provider\)\n$/,
    );
  });

  it('adds the stack and causes with --debug', async () => {
    const r = await runCli([
      'chat',
      '--debug',
      '-p',
      'Aura',
      '--base-url',
      `Aura=${await closedPortUrl()}`,
      'Hi',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^g4f: NetworkError: /);
    expect(r.stderr).toMatch(/\n\s+at /);
    expect(r.stderr).toMatch(/caused by: /);
  });

  const usageCases: [string, string[], RegExp][] = [
    ['an unknown option', ['chat', '--bogus'], /unknown option '--bogus'/],
    ['a --base-url without =', ['chat', '--base-url', 'Aura', 'Hi'], /expected NAME=URL/],
    [
      'a --base-url for an unknown provider',
      ['chat', '--base-url', 'Nope=http://127.0.0.1:1', 'Hi'],
      /unknown provider "Nope"/,
    ],
    [
      'a --base-url that is not http',
      ['chat', '--base-url', 'Aura=ftp://x', 'Hi'],
      /not an http\(s\) URL/,
    ],
    ['a negative --timeout', ['chat', '--timeout', '-1', 'Hi'], /expected a number above 0/],
    [
      'an unknown --provider',
      ['chat', '-p', 'Nope', 'Hi'],
      /^g4f: UsageError: unknown provider "Nope" \(hint: one of Acytoo, Aura/,
    ],
    [
      'a model no provider serves',
      ['chat', '-m', 'no-such-model', 'Hi'],
      /^g4f: ModelNotSupportedError: .*\(hint: run `g4f models`/,
    ],
    [
      'a proxy that is not a URL',
      ['chat', '-p', 'Aura', '--proxy', 'not a url', 'Hi'],
      /^g4f: InvalidArgumentError: /,
    ],
    ['an unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
    ['no command', [], /Usage: g4f/],
  ];
  it.each(usageCases)('exits 2 with a message on a usage error: %s', async (_, args, message) => {
    const r = await runCli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('takes the proxy from G4F_PROXY', async () => {
    const r = await runCli(['chat', '-p', 'Aura', '--base-url', `Aura=${aura.url}`, 'Hi'], {
      env: { G4F_PROXY: await closedPortUrl() },
    });
    // The proxy refuses the connection, so the answer never comes: proof it was used.
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^g4f: NetworkError: /);
  });

  it('prints --help and --version with exit 0', async () => {
    const help = await runCli(['chat', '--help']);
    expect(help.code).toBe(0);
    for (const flag of [
      '--provider',
      '--model',
      '--system',
      '--json',
      '--no-stream',
      '--base-url',
      '--proxy',
      '--timeout',
      '--replicas',
      '--debug',
    ]) {
      expect(help.stdout).toContain(flag);
    }
    const version = await runCli(['--version']);
    expect(version).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+/) });
  });

  it('answers from the bundled replicas with --replicas', async () => {
    const r = await runCli(['chat', '--replicas', '-p', 'Websim', 'Hi']);
    expect(r).toMatchObject({
      code: 0,
      stdout: 'Hello from the Websim replica — Gemini says hi 👋\n',
    });
  });
});
