// Streams one answer through @g4f/acytoo against its replica, as a CommonJS consumer.
const { ProviderError, VERSION: coreVersion } = require('@g4f/core');
const { createReplicaServer } = require('@g4f/core/replica');
const { acytoo, createAcytoo, VERSION } = require('@g4f/acytoo');
const { createAcytooReplica } = require('@g4f/acytoo/replica');
const { readFileSync } = require('node:fs');

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
async function main() {
  const answer = `CJS consumer on ${process.version}: ünïcödé ✓`;
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
    console.log(`cjs ok: ${chunks} chunks`);
  } finally {
    await replica.close();
  }
}
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
