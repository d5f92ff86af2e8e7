import { describe, expect, it } from 'vitest';
import { runCli } from './testing/spawn-cli.js';

const NAMES = ['Acytoo', 'Aura', 'ChatgptFree', 'RobocodersAPI', 'Websim'];

describe('g4f providers', () => {
  it('prints an aligned table of every bundled provider', async () => {
    const r = await runCli(['providers']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^provider\s+label\s+working\s+needs auth\s+models\s+url$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(NAMES);
    const urlColumn = lines[0]?.indexOf('url');
    for (const line of lines.slice(1)) expect(line.indexOf('https://')).toBe(urlColumn);
    expect(r.stdout).toMatch(
      /^Websim\s+Websim\s+no\s+no\s+gemini-2\.5-pro, gemini-2\.5-flash, flux\s+https:\/\/websim\.ai$/m,
    );
  });

  it('prints the metadata as JSON with --json', async () => {
    const r = await runCli(['providers', '--json']);
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(rows.map((row) => row.name)).toEqual(NAMES);
    expect(rows.find((row) => row.name === 'RobocodersAPI')).toMatchObject({
      label: 'API Robocoders AI',
      url: 'https://api.robocoders.ai/docs',
      working: false,
      needsAuth: expect.any(Boolean),
      defaultModel: 'GeneralCodingAgent',
      models: ['GeneralCodingAgent', 'RepoAgent', 'FrontEndAgent'],
      imageModels: [],
    });
  });
});

describe('g4f models', () => {
  it('lists each model with its type and providers, as a table and as JSON', async () => {
    const table = await runCli(['models']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^model\s+type\s+providers$/m);
    expect(table.stdout).toMatch(/^flux\s+image\s+Websim$/m);
    expect(table.stdout).toMatch(/^RepoAgent\s+chat\s+RobocodersAPI$/m);
    const json = await runCli(['models', '--json']);
    const models = JSON.parse(json.stdout) as { id: string; type: string; providers: string[] }[];
    expect(models.find((m) => m.id === 'flux')).toMatchObject({
      object: 'model',
      type: 'image',
      providers: ['Websim'],
    });
    expect(models.find((m) => m.id === 'gpt-4o-mini-2024-07-18')).toMatchObject({
      type: 'chat',
      providers: ['ChatgptFree'],
    });
  });
});
