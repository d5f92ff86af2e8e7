// Runs the Acytoo replica in a process of its own, so the server bench's two paths share it on
// equal terms; prints the replica's URL, then serves until stdin closes.
import { createAcytooReplica } from '@g4f/acytoo/replica';

const replica = await createAcytooReplica({
  answer: 'Hello from the replica, in a few pieces.',
  chunkDelayMs: 0,
});
process.stdout.write(`${replica.url}\n`);
process.stdin.resume();
process.stdin.on('end', () => {
  void replica.close().then(() => process.exit(0));
});
