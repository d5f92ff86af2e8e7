import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ACYTOO_ROUTE, createAcytooReplica } from '@g4f/acytoo/replica';
import { AURA_ROUTE, createAuraReplica } from '@g4f/aura/replica';
import { createChatgptFreeReplica } from '@g4f/chatgptfree/replica';
import type { ReplicaServer } from '@g4f/core/replica';
import { createRobocodersReplica } from '@g4f/robocoders/replica';
import { createWebsimReplica } from '@g4f/websim/replica';
import OpenAI from 'openai';

type Write = (text: string) => void;

// The built bin of @g4f/cli, run as `node dist/bin.js`, exactly what `npx @g4f/cli` runs.
const BIN = join(
  dirname(createRequire(import.meta.url).resolve('@g4f/cli/package.json')),
  'dist',
  'bin.js',
);

function start(args: readonly string[]): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
}

/** Runs `g4f …args`, echoing the command and its output; resolves with stdout and exit code. */
async function g4f(
  args: readonly string[],
  write: Write,
  { show = true, expectCode = 0 } = {},
): Promise<string> {
  write(`$ g4f ${args.map((a) => (/[\s"']/.test(a) ? JSON.stringify(a) : a)).join(' ')}\n`);
  const child = start(args);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
    if (show) write(text);
  });
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
    if (show) write(text);
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== expectCode)
    throw new Error(`g4f exited ${code} (expected ${expectCode}): ${stderr}`);
  return stdout;
}

/** `g4f providers`: what the command ships with. */
export async function cliProviders(write: Write): Promise<void> {
  await g4f(['providers'], write);
}

/** `g4f chat --replicas` through each provider in turn. */
export async function cliChatEach(write: Write): Promise<void> {
  for (const name of ['Acytoo', 'Aura', 'ChatgptFree', 'RobocodersAPI', 'Websim']) {
    await g4f(['chat', '--replicas', '-p', name, 'Say hello.'], write);
  }
}

/** The first provider answers 500, the next one answers: `g4f chat` falls back. */
export async function cliFallback(write: Write): Promise<void> {
  const [acytoo, aura] = await Promise.all([createAcytooReplica(), createAuraReplica()]);
  try {
    acytoo.fail(ACYTOO_ROUTE, { kind: 'status', status: 500, body: 'upstream down' });
    write('(the Acytoo replica is set to answer 500; Aura is next in line)\n');
    const out = await g4f(
      [
        'chat',
        '--json',
        '--base-url',
        `Acytoo=${acytoo.url}`,
        '--base-url',
        `Aura=${aura.url}`,
        'Say hello.',
      ],
      write,
      { show: false },
    );
    const completion = JSON.parse(out) as {
      provider: string;
      choices: { message: { content: string } }[];
    };
    write(`provider: ${completion.provider} (after Acytoo's 500)\n`);
    write(`content:  ${completion.choices[0]?.message.content}\n`);
  } finally {
    await Promise.all([acytoo.close(), aura.close()]);
  }
}

/** `g4f image` against the Websim replica. */
export async function cliImage(write: Write): Promise<void> {
  await g4f(['image', '--replicas', 'A lighthouse at dusk'], write);
}

/** `g4f check` over all five replicas, one of them answering with a challenge page. */
export async function cliCheck(write: Write): Promise<void> {
  const replicas: [string, ReplicaServer][] = await Promise.all([
    createAcytooReplica().then((r) => ['Acytoo', r] as [string, ReplicaServer]),
    createAuraReplica().then((r) => ['Aura', r] as [string, ReplicaServer]),
    createChatgptFreeReplica().then((r) => ['ChatgptFree', r] as [string, ReplicaServer]),
    createRobocodersReplica().then((r) => ['RobocodersAPI', r] as [string, ReplicaServer]),
    createWebsimReplica().then((r) => ['Websim', r] as [string, ReplicaServer]),
  ]);
  try {
    const aura = replicas.find(([name]) => name === 'Aura')?.[1];
    aura?.fail(AURA_ROUTE, { kind: 'cloudflare' });
    write('(the Aura replica is set to answer with a Cloudflare challenge page)\n');
    await g4f(
      ['check', ...replicas.flatMap(([name, r]) => ['--base-url', `${name}=${r.url}`])],
      write,
    );
  } finally {
    await Promise.all(replicas.map(([, r]) => r.close()));
  }
}

/** `g4f serve --replicas`, then a streamed chat from the official `openai` SDK, then SIGTERM. */
export async function cliServe(write: Write): Promise<void> {
  const args = ['serve', '--replicas', '--port', '0', '--no-log'];
  write(`$ g4f ${args.join(' ')} &\n`);
  const child = start(args);
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
    write(text);
  });
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  try {
    const baseURL = await new Promise<string>((resolve, reject) => {
      let seen = '';
      child.stdout?.setEncoding('utf8').on('data', (text: string) => {
        seen += text;
        const url = seen.match(/^(http:\/\/\S+)\n/)?.[1];
        if (url) resolve(url);
      });
      void closed.then((code) => reject(new Error(`g4f serve exited ${code}: ${stderr}`)));
    });
    write(
      `openai.chat.completions.create({ model: 'gpt-3.5-turbo', stream: true }) at ${baseURL}\n`,
    );
    const openai = new OpenAI({ baseURL, apiKey: 'not-needed-without---api-key', maxRetries: 0 });
    const stream = await openai.chat.completions.create({
      model: 'gpt-3.5-turbo',
      messages: [{ role: 'user', content: 'Say hello.' }],
      stream: true,
    });
    for await (const chunk of stream) write(chunk.choices[0]?.delta.content ?? '');
    write('\n$ kill -TERM %1\n');
  } catch (error) {
    child.kill('SIGKILL');
    await closed;
    throw error;
  }
  child.kill('SIGTERM');
  const code = await closed;
  if (code !== 0) throw new Error(`g4f serve exited ${code}: ${stderr}`);
}
