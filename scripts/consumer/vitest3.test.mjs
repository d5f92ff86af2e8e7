// Runs under the consumer's own vitest 3: the providers install and stream there too.
import { createAcytoo } from '@g4f/acytoo';
import { createAcytooReplica } from '@g4f/acytoo/replica';
import { expect, test } from 'vitest';

test('streams an answer from the replica inside vitest 3', async () => {
  const replica = await createAcytooReplica({ answer: 'vitest 3 consumer ✓', chunkDelayMs: 1 });
  try {
    let text = '';
    for await (const chunk of createAcytoo({ baseUrl: replica.url }).createAsyncGenerator({
      messages: [{ role: 'user', content: 'Hello' }],
    })) {
      text += String(chunk);
    }
    expect(text).toBe('vitest 3 consumer ✓');
  } finally {
    await replica.close();
  }
});
