import {
  CHAT_ROUTE,
  createOllamaReplica,
  createOpenaiCompatibleReplica,
  OLLAMA_CHAT_ROUTE,
  type OllamaReplica,
  type OpenaiCompatibleReplica,
} from '@g4f/openai-compatible/replica';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './testing/spawn-cli.js';

// OpenaiTemplate and Ollama talk to the user's own servers: listed and tried only when
// configured (--base-url, --replicas or their environment variables).

const BUNDLED = ['Acytoo', 'Aura', 'ChatgptFree', 'RobocodersAPI', 'Websim'];
const ANSWER = 'The configured server answers: crème brûlée 🍮';
const REASONING = 'Let me think about cream and sugar first.';

let openai: OpenaiCompatibleReplica;
let ollama: OllamaReplica;

beforeAll(async () => {
  [openai, ollama] = await Promise.all([createOpenaiCompatibleReplica(), createOllamaReplica()]);
});
beforeEach(() => {
  Object.assign(openai.state, { answer: ANSWER, reasoning: REASONING, apiKey: undefined });
  Object.assign(ollama.state, { answer: ANSWER, thinking: REASONING });
});
afterAll(async () => {
  await Promise.all([openai.close(), ollama.close()]);
});

const names = (stdout: string) => (JSON.parse(stdout) as { name: string }[]).map((row) => row.name);

describe('providers of the user’s own servers', () => {
  it('are neither listed nor tried when not configured', async () => {
    const list = await runCli(['providers', '--json']);
    expect(list.code).toBe(0);
    expect(names(list.stdout)).toEqual(BUNDLED);
    // check against closed upstreams: every row is a bundled provider, none is Ollama's.
    const check = await runCli([
      'check',
      '--json',
      '--timeout',
      '5',
      ...BUNDLED.flatMap((n) => ['--base-url', `${n}=http://127.0.0.1:9`]),
    ]);
    expect((JSON.parse(check.stdout) as { provider: string }[]).map((r) => r.provider)).toEqual(
      BUNDLED,
    );
  });

  it('are listed after the bundled ones when their environment says where they are', async () => {
    const r = await runCli(['providers', '--json'], {
      env: {
        G4F_OPENAI_BASE_URL: openai.baseUrl,
        G4F_OPENAI_API_KEY: 'sk-secret-123',
        G4F_OPENAI_MODEL: 'gpt-4o-mini',
        OLLAMA_HOST: ollama.url,
      },
    });
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(rows.map((row) => row.name)).toEqual([...BUNDLED, 'OpenaiTemplate', 'Ollama']);
    expect(rows[5]).toMatchObject({
      url: openai.baseUrl,
      working: true,
      defaultModel: 'gpt-4o-mini',
    });
    expect(rows[6]).toMatchObject({ url: ollama.url, label: 'Ollama 🦙' });
    expect(r.stdout + r.stderr).not.toContain('sk-secret-123');
    // Only OLLAMA_PORT set is a configuration too (the host defaults to 127.0.0.1).
    const port = await runCli(['providers', '--json'], { env: { OLLAMA_PORT: '11999' } });
    expect(names(port.stdout)).toEqual([...BUNDLED, 'Ollama']);
  });

  it('are listed when --base-url names them, by name or label in any case', async () => {
    const r = await runCli([
      'providers',
      '--base-url',
      `openaitemplate=${openai.baseUrl}`,
      '--base-url',
      `OLLAMA=${ollama.url}`,
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      new RegExp(
        `^OpenaiTemplate\\s+OpenAI-compatible API\\s+yes\\s+no\\s+${openai.baseUrl}$`,
        'm',
      ),
    );
    expect(r.stdout).toMatch(
      new RegExp(`^Ollama\\s+Ollama 🦙\\s+yes\\s+no\\s+llama3\\.2\\s+${ollama.url}$`, 'm'),
    );
  });

  it('refuses a provider named but not configured, saying how to configure it', async () => {
    const chat = await runCli(['chat', '-p', 'Ollama', 'Hi']);
    expect(chat.code).toBe(2);
    expect(chat.stdout).toBe('');
    expect(chat.stderr).toMatch(
      /^g4f: UsageError: provider "Ollama" is not configured \(hint: .*OLLAMA_HOST.*--base-url Ollama=URL/,
    );
    const check = await runCli(['check', 'openaitemplate']);
    expect(check.code).toBe(2);
    expect(check.stderr).toContain('G4F_OPENAI_BASE_URL');
    const bad = await runCli(['providers'], { env: { G4F_OPENAI_BASE_URL: 'localhost:8000' } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /^g4f: UsageError: G4F_OPENAI_BASE_URL="localhost:8000" is not an http\(s\) URL/,
    );
  });
});

describe('g4f chat through OpenaiTemplate', () => {
  it('writes the answer alone on stdout; the reasoning stays out of a pipe', async () => {
    const r = await runCli([
      'chat',
      '-p',
      'OpenaiTemplate',
      '-m',
      'gpt-4o-mini',
      '--base-url',
      `OpenaiTemplate=${openai.baseUrl}`,
      'Hi',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${ANSWER}\n`);
    const body = openai.callsTo(CHAT_ROUTE).at(-1)?.json as { model: string; stream: boolean };
    expect(body).toMatchObject({ model: 'gpt-4o-mini', stream: true });
  });

  it('sends G4F_OPENAI_API_KEY and uses G4F_OPENAI_MODEL; --json keeps the reasoning apart', async () => {
    openai.state.apiKey = 'sk-secret-456';
    const env = { G4F_OPENAI_BASE_URL: openai.baseUrl, G4F_OPENAI_MODEL: 'llama3.2' };
    const r = await runCli(['chat', '-p', 'OpenaiTemplate', '--json', 'Hi'], {
      env: { ...env, G4F_OPENAI_API_KEY: 'sk-secret-456' },
    });
    expect(r.code).toBe(0);
    const completion = JSON.parse(r.stdout) as {
      provider: string;
      model: string;
      choices: { message: { content: string; reasoning_content?: string } }[];
    };
    expect(completion.provider).toBe('OpenaiTemplate');
    expect(completion.choices[0]?.message).toMatchObject({
      content: ANSWER,
      reasoning_content: REASONING,
    });
    expect(openai.callsTo(CHAT_ROUTE).at(-1)?.json).toMatchObject({ model: 'llama3.2' });
    expect(r.stderr).not.toContain('sk-secret-456');
    // Without the key the server's 401 is a MissingAuthError, exit 1.
    const noKey = await runCli(['chat', '-p', 'OpenaiTemplate', 'Hi'], { env });
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toMatch(/^g4f: MissingAuthError: /);
  });

  it('finds the Ollama that lists a model when no provider is named', async () => {
    const before = ollama.callsTo(OLLAMA_CHAT_ROUTE).length;
    const r = await runCli(['chat', '-m', 'qwen3:0.6b', '--no-stream', 'Hi'], {
      env: { OLLAMA_HOST: ollama.url },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${ANSWER}\n`);
    // Answered through Ollama's native route, its thinking kept off stdout.
    expect(ollama.callsTo(OLLAMA_CHAT_ROUTE)).toHaveLength(before + 1);
    const models = await runCli(['models', '--json'], { env: { OLLAMA_HOST: ollama.url } });
    const list = JSON.parse(models.stdout) as { id: string; providers: string[] }[];
    expect(list.find((m) => m.id === 'qwen3:0.6b')?.providers).toEqual(['Ollama']);
  });

  it('--replicas starts both replicas and includes both providers', async () => {
    const r = await runCli(['check', '--replicas', '--json', 'OpenaiTemplate', 'ollama']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { provider: string; status: string; answer?: string }[];
    expect(rows.map((row) => [row.provider, row.status])).toEqual([
      ['OpenaiTemplate', 'ok'],
      ['Ollama', 'ok'],
    ]);
    const list = await runCli(['providers', '--replicas', '--json']);
    expect(names(list.stdout)).toEqual([...BUNDLED, 'OpenaiTemplate', 'Ollama']);
  });
});
