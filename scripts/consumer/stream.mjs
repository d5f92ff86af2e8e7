// Streams one answer through @g4f/acytoo against its replica, as an ESM consumer.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { acytoo, createAcytoo, VERSION } from '@g4f/acytoo';
import { createAcytooReplica } from '@g4f/acytoo/replica';
import { VERSION as coreVersion, ProviderError } from '@g4f/core';
import { createReplicaServer } from '@g4f/core/replica';

const require = createRequire(import.meta.url);
const installed = (name) =>
  JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8'));
const fail = (message) => {
  console.error(message);
  process.exit(1);
};
if (VERSION !== installed('@g4f/acytoo').version) fail(`acytoo VERSION ${VERSION}`);
if (coreVersion !== installed('@g4f/core').version) fail(`core VERSION ${coreVersion}`);
if (typeof createReplicaServer !== 'function' || typeof ProviderError !== 'function')
  fail('exports');
if (typeof acytoo.createAsyncGenerator !== 'function') fail('default instance');
const answer = `ESM consumer on ${process.version}: ünïcödé ✓`;
const replica = await createAcytooReplica({ answer, chunkBytes: 3, chunkDelayMs: 1 });
try {
  const provider = createAcytoo({ baseUrl: replica.url });
  let text = '';
  let chunks = 0;
  for await (const chunk of provider.createAsyncGenerator({
    messages: [{ role: 'user', content: 'Hello' }],
  })) {
    text += String(chunk);
    chunks += 1;
  }
  if (text !== answer) fail(`streamed ${JSON.stringify(text)}`);
  if (chunks < 2) fail(`one chunk only: the answer was not streamed`);
  console.log(`esm ok: ${chunks} chunks`);
} finally {
  await replica.close();
}
