// Run by ai7-smoke.mjs under Node 24, from a scratch project where `ai` is version 7. Our
// packages are loaded as ES modules from the workspace (never CommonJS next to ESM, which
// would load two copies of @g4f/core).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { APICallError, generateImage, generateText, streamText } from 'ai';

const packageDir = process.env.G4F_AI_SDK_DIR;
assert.ok(packageDir, 'G4F_AI_SDK_DIR names the @g4f/ai-sdk folder');
globalThis.AI_SDK_LOG_WARNINGS = false;

/** The ES module entry of a workspace package, as its `exports` map names it. */
async function load(name, subpath = '.') {
  const dir = name === '@g4f/ai-sdk' ? packageDir : join(packageDir, 'node_modules', name);
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  return import(pathToFileURL(join(dir, manifest.exports[subpath].import.default)).href);
}

const aiVersion = JSON.parse(
  readFileSync(new URL('./node_modules/ai/package.json', import.meta.url), 'utf8'),
).version;
assert.match(aiVersion, /^7\./, `ai 7 expected, found ${aiVersion}`);
const { createG4F } = await load('@g4f/ai-sdk');
const { Aura } = await load('@g4f/aura');
const { AURA_ROUTE, createAuraReplica } = await load('@g4f/aura', './replica');
const { Websim } = await load('@g4f/websim');
const { ONE_PIXEL_PNG, createWebsimReplica } = await load('@g4f/websim', './replica');

const auraReplica = await createAuraReplica();
const websimReplica = await createWebsimReplica();
try {
  const g4f = createG4F({
    providers: [new Aura({ baseUrl: auraReplica.url }), new Websim({ baseUrl: websimReplica.url })],
  });

  const generated = await generateText({ model: g4f('openchat_3.6'), prompt: 'Say hello.' });
  assert.equal(generated.text, auraReplica.state.answer);
  assert.equal(generated.finishReason, 'stop');
  assert.ok(generated.usage.outputTokens > 0);

  const streamed = streamText({ model: g4f('openchat_3.6'), prompt: 'Say hello.' });
  let text = '';
  let deltas = 0;
  for await (const part of streamed.textStream) {
    text += part;
    deltas++;
  }
  assert.equal(text, auraReplica.state.answer);
  assert.ok(deltas > 1, 'the answer arrives in several deltas');
  assert.equal(await streamed.finishReason, 'stop');
  assert.ok((await streamed.usage).inputTokens > 0);

  auraReplica.fail(AURA_ROUTE, { kind: 'status', status: 500 }, { times: 1 });
  const errors = [];
  const failing = streamText({
    model: g4f('openchat_3.6'),
    prompt: 'Hi',
    onError: ({ error }) => errors.push(error),
  });
  for await (const _ of failing.fullStream);
  assert.equal(errors.length, 1);
  assert.ok(APICallError.isInstance(errors[0]), 'an APICallError reaches onError');
  assert.equal(errors[0].cause?.name, 'ResponseStatusError');

  const image = await generateImage({
    model: g4f.imageModel('flux'),
    prompt: 'A lighthouse',
    aspectRatio: '16:9',
  });
  assert.deepEqual(Buffer.from(image.image.uint8Array), ONE_PIXEL_PNG);

  console.log(
    `ai7 smoke: generateText, streamText, onError and generateImage pass with ai ${aiVersion} on Node ${process.version}`,
  );
} finally {
  await Promise.all([auraReplica.close(), websimReplica.close()]);
}
