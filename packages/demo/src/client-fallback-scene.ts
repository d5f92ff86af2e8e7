import { Acytoo } from '@g4f/acytoo';
import { ACYTOO_ROUTE, createAcytooReplica } from '@g4f/acytoo/replica';
import { Aura } from '@g4f/aura';
import { createAuraReplica } from '@g4f/aura/replica';
import { Client } from '@g4f/client';

/**
 * `@g4f/client` falling back: the Acytoo replica is told to answer 500, so the client's
 * routing moves on to Aura, whose answer streams through `chat.completions.create`.
 */
export async function clientFallback(write: (text: string) => void): Promise<void> {
  const [acytooReplica, auraReplica] = await Promise.all([
    createAcytooReplica(),
    createAuraReplica(),
  ]);
  try {
    acytooReplica.fail(ACYTOO_ROUTE, { kind: 'status', status: 500, body: 'upstream down' });
    const client = new Client({
      providers: [
        new Acytoo({ baseUrl: acytooReplica.url }),
        new Aura({ baseUrl: auraReplica.url }),
      ],
      timeout: 10_000,
    });
    const stream = await client.chat.completions.create({ messages: 'Say hello.', stream: true });
    write(`[${stream.provider} answers after the first provider failed]\n`);
    for await (const chunk of stream) write(chunk.choices[0].delta.content);
    for (const entry of client.health().providers) {
      const failures = entry.recentFailures.map((f) => f.error).join('; ') || 'none';
      write(`\n   ${entry.name}: recent failures: ${failures}`);
    }
  } finally {
    await Promise.all([acytooReplica.close(), auraReplica.close()]);
  }
}
