// Installed from the local registry: chat and an image through @g4f/websim against its replica.
import { createWebsim, VERSION } from '@g4f/websim';
import { createWebsimReplica } from '@g4f/websim/replica';

const expected = process.argv[2];
if (VERSION !== expected) throw new Error(`@g4f/websim VERSION ${VERSION}, expected ${expected}`);
const answer = 'Round trip through the local registry ✓';
const replica = await createWebsimReplica({ answer: `  ${answer}\n` });
try {
  const provider = createWebsim({ baseUrl: replica.url });
  let text = '';
  for await (const chunk of provider.createAsyncGenerator({
    messages: [{ role: 'user', content: 'Hello' }],
  })) {
    text += String(chunk);
  }
  if (text !== answer) throw new Error(`chat answered ${JSON.stringify(text)}`);
  const images = [];
  for await (const image of provider.createAsyncGenerator({
    model: 'flux',
    messages: [{ role: 'user', content: 'A lighthouse at dusk' }],
  })) {
    images.push(String(image));
  }
  const url = images.join('').match(/\]\((http:\/\/127\.0\.0\.1:\d+\/images\/[^)]+)\)/)?.[1];
  if (images.length !== 1 || !url) throw new Error(`image answer ${JSON.stringify(images)}`);
  const png = Buffer.from(await (await fetch(url)).arrayBuffer());
  if (png.subarray(1, 4).toString() !== 'PNG') throw new Error(`${url} is not a PNG`);
  console.log(`websim ${VERSION}: chat and image ok`);
} finally {
  await replica.close();
}
