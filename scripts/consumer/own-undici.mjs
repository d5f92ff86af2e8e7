// A project with its own undici: core must share it (one copy) and accept its Agent.
import { createAcytoo } from '@g4f/acytoo';
import { createAcytooReplica } from '@g4f/acytoo/replica';
import { Agent } from 'undici';

const agent = new Agent({ connections: 1 });
const replica = await createAcytooReplica({ answer: 'own undici ✓', chunkDelayMs: 1 });
try {
  let text = '';
  for await (const chunk of createAcytoo({
    baseUrl: replica.url,
    dispatcher: agent,
  }).createAsyncGenerator({
    messages: [{ role: 'user', content: 'Hello' }],
  })) {
    text += String(chunk);
  }
  if (text !== 'own undici ✓') throw new Error(`streamed ${JSON.stringify(text)}`);
  console.log('own undici ok');
} finally {
  await replica.close();
  await agent.close();
}
