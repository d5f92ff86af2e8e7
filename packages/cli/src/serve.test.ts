import type { ChildProcess } from 'node:child_process';
import { type AcytooReplica, createAcytooReplica } from '@g4f/acytoo/replica';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, collect, startCli } from './testing/spawn-cli.js';

let acytoo: AcytooReplica;
let running: { child: ChildProcess; done: Promise<CliResult> } | undefined;

beforeAll(async () => {
  acytoo = await createAcytooReplica();
});
afterEach(() => {
  // A failed test must not leave a server behind.
  if (running && running.child.exitCode === null) running.child.kill('SIGKILL');
  running = undefined;
});
afterAll(async () => {
  await acytoo.close();
});

/** Starts `g4f serve` on a free port and waits for the URL it prints on stdout. */
async function serve(args: string[], env: Record<string, string> = {}): Promise<string> {
  const child = startCli(['serve', '--port', '0', ...args], { env });
  child.stdin?.end();
  const done = collect(child, 30_000);
  running = { child, done };
  const url = await new Promise<string>((resolve, reject) => {
    let seen = '';
    child.stdout?.on('data', (text: string) => {
      seen += text;
      const line = seen.match(/^(http:\/\/\S+)\n/);
      if (line?.[1]) resolve(line[1]);
    });
    void done.then((r) => reject(new Error(`serve exited ${r.code}: ${r.stderr}`)));
  });
  return url;
}

describe('g4f serve', () => {
  it('answers the openai SDK with the key from G4F_API_KEY, and refuses a wrong key', async () => {
    acytoo.state.answer = 'Served through the CLI';
    acytoo.state.chunkDelayMs = 5;
    const baseURL = await serve(['--base-url', `Acytoo=${acytoo.url}`], { G4F_API_KEY: 'k-123' });
    expect(baseURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const openai = new OpenAI({ baseURL, apiKey: 'k-123', maxRetries: 0 });
    const completion = await openai.chat.completions.create({
      model: 'gpt-3.5-turbo',
      messages: [{ role: 'user', content: 'Hi' }],
    });
    expect(completion.choices[0]?.message.content).toBe('Served through the CLI');
    const wrong = new OpenAI({ baseURL, apiKey: 'wrong', maxRetries: 0 });
    await expect(wrong.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    running?.child.kill('SIGINT');
    const result = await running?.done;
    expect(result?.code).toBe(0);
    // The request log names the route and status of each request, never the key.
    expect(result?.stderr).toMatch(/POST \/v1\/chat\/completions 200/);
    expect(result?.stderr).toMatch(/GET \/v1\/models 401/);
    expect(result?.stderr).not.toContain('k-123');
  });

  it('on SIGTERM lets an open stream finish, then exits 0', async () => {
    const answer = 'A slow answer, written a few bytes at a time, that must arrive whole.';
    acytoo.state.answer = answer;
    acytoo.state.chunkBytes = 4;
    acytoo.state.chunkDelayMs = 40;
    const baseURL = await serve(['--base-url', `Acytoo=${acytoo.url}`, '--replicas']);
    const openai = new OpenAI({ baseURL, apiKey: 'unused', maxRetries: 0 });
    const stream = await openai.chat.completions.create({
      model: 'gpt-3.5-turbo',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
    });
    let text = '';
    let signalled = false;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (!signalled && text.length > 0) {
        signalled = true;
        running?.child.kill('SIGTERM');
      }
    }
    expect(signalled).toBe(true);
    expect(text).toBe(answer);
    const result = await running?.done;
    expect(result?.code).toBe(0);
    expect(result?.stderr).toMatch(/SIGTERM, stopping \(letting 1 open requests finish\)/);
    expect(result?.stderr).toMatch(/stopped\n$/);
  });
});
