import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createWebsimReplica,
  ONE_PIXEL_PNG,
  WEBSIM_IMAGE_ROUTE,
  type WebsimReplica,
} from '@g4f/websim/replica';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './testing/spawn-cli.js';

let websim: WebsimReplica;
let dir: string;

beforeAll(async () => {
  websim = await createWebsimReplica();
  dir = await mkdtemp(join(tmpdir(), 'g4f-cli-image-'));
});
afterAll(async () => {
  await websim.close();
  await rm(dir, { recursive: true, force: true });
});

describe('g4f image', () => {
  it('prints the image URL the provider gave', async () => {
    const before = websim.calls.length;
    const r = await runCli(['image', '--base-url', `Websim=${websim.url}`, 'A', 'red', 'fox']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^${websim.url}/\\S+\\.png\\n$`));
    const sent = websim.calls.slice(before)[0];
    expect(sent?.route).toBe(WEBSIM_IMAGE_ROUTE);
    expect(JSON.stringify(sent?.json)).toContain('A red fox');
  });

  it('downloads the image into --out', async () => {
    const file = join(dir, 'fox.png');
    const r = await runCli(['image', '--base-url', `Websim=${websim.url}`, '-o', file, 'a fox']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${file}\n`);
    expect(await readFile(file)).toEqual(ONE_PIXEL_PNG);
  });

  it('exits 1 with the error class when the upstream fails', async () => {
    websim.fail(WEBSIM_IMAGE_ROUTE, { kind: 'status', status: 500, body: 'boom' }, { times: 1 });
    const r = await runCli(['image', '--base-url', `Websim=${websim.url}`, 'a fox']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^g4f: ResponseStatusError: /);
  });
});
