// Child process for the two-process test: one first request against an empty cache.
import { collectChunks, joinText } from '@g4f/core';
import { RobocodersAPI } from '../robocoders.js';

const [baseUrl, cacheDir] = process.argv.slice(2);
const provider = new RobocodersAPI({ baseUrl, cacheDir });
const chunks = await collectChunks(
  provider.createAsyncGenerator({ messages: [{ role: 'user', content: 'hi' }] }),
);
process.stdout.write(joinText(chunks));
