// Hosts one service of the server bench in a process of its own, so that each process's CPU
// time is its service's alone: the Acytoo replica (argv: `replica <ms between pieces>`), the
// bare proxy (`bare <replica URL>`) or the g4f server over a client of the replica (`server
// <replica URL>`). Prints its URL, then answers each line on stdin with one line: `cpu` → the
// CPU ms used so far; `memory` → RSS and heap used in bytes after a full GC, as JSON. Serves
// until stdin closes.
import { createInterface } from 'node:readline';
import { Acytoo } from '@g4f/acytoo';
import { createAcytooReplica } from '@g4f/acytoo/replica';
import { Client } from '@g4f/client';
import { startBareProxy } from './bare-proxy.js';

// The built package, as users run it (`pnpm bench` builds first), typed from its source: a
// static import would make the typecheck, which runs before this package's build, need dist.
const builtEntry = '../dist/index.js';
const { startServer } = (await import(builtEntry)) as typeof import('../src/index.js');

const [kind, arg = ''] = process.argv.slice(2);

async function start(): Promise<{ url: string; close(): Promise<void> }> {
  switch (kind) {
    case 'replica':
      return createAcytooReplica({
        answer: 'Hello from the replica, in a few pieces.',
        chunkDelayMs: Number(arg),
      });
    case 'bare':
      return startBareProxy(arg);
    case 'server': {
      const client = new Client({ providers: [new Acytoo({ baseUrl: arg })] });
      return startServer({ client, port: 0, maxConcurrentStreams: 1000 });
    }
    default:
      throw new Error(`unknown service ${kind}`);
  }
}

const service = await start();
process.stdout.write(`${service.url}\n`);
const gc = (globalThis as { gc?: () => void }).gc;
const lines = createInterface({ input: process.stdin });
lines.on('line', (command) => {
  if (command === 'memory') {
    gc?.();
    const { rss, heapUsed } = process.memoryUsage();
    process.stdout.write(`${JSON.stringify({ rss, heapUsed })}\n`);
    return;
  }
  const cpu = process.cpuUsage();
  process.stdout.write(`${(cpu.user + cpu.system) / 1000}\n`);
});
lines.on('close', () => {
  void service.close().then(() => process.exit(0));
});
