// Shared by the server's tests: replicas, a real client over them, the server on port 0.
import { Acytoo } from '@g4f/acytoo';
import { type AcytooReplica, createAcytooReplica } from '@g4f/acytoo/replica';
import { Client } from '@g4f/client';
import { Websim } from '@g4f/websim';
import { createWebsimReplica, type WebsimReplica } from '@g4f/websim/replica';
import type { ServerOptions } from './options.js';
import { type RunningServer, startServer } from './server.js';

/** Everything one test file starts. */
export interface Stack {
  acytooReplica: AcytooReplica;
  websimReplica: WebsimReplica;
  server: RunningServer;
  close(): Promise<void>;
}

/** Replicas of Acytoo and Websim, a client over both, and the server over the client. */
export async function startStack(
  options: Partial<ServerOptions> & {
    answer?: string;
    chunkDelayMs?: number;
    chunkBytes?: number;
  } = {},
): Promise<Stack> {
  const { answer, chunkDelayMs, chunkBytes, ...serverOptions } = options;
  const acytooReplica = await createAcytooReplica({
    ...(answer !== undefined ? { answer } : {}),
    chunkDelayMs: chunkDelayMs ?? 1,
    ...(chunkBytes !== undefined ? { chunkBytes } : {}),
  });
  const websimReplica = await createWebsimReplica();
  const providers = [
    new Acytoo({ baseUrl: acytooReplica.url, timeout: 1000 }),
    new Websim({ baseUrl: websimReplica.url, timeout: 1000 }),
  ];
  const client = new Client({ providers });
  const server = await startServer({ client, port: 0, ...serverOptions });
  return {
    acytooReplica,
    websimReplica,
    server,
    async close() {
      await server.close();
      await acytooReplica.close();
      await websimReplica.close();
    },
  };
}
