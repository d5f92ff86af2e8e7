// Runs the Acytoo replica in a process of its own, so the server bench's two paths share it on
// equal terms; prints the replica's URL, then serves until stdin closes. argv[2]: the pause
// between the answer's pieces in ms (default 0: the pieces follow each other at once).
import { createAcytooReplica } from '@g4f/acytoo/replica';

const replica = await createAcytooReplica({
  answer: 'Hello from the replica, in a few pieces.',
  chunkDelayMs: Number(process.argv[2] ?? 0),
});
process.stdout.write(`${replica.url}\n`);
process.stdin.resume();
// A line on stdin asks for the CPU time used so far (user + system, ms), for the bench's table.
process.stdin.on('data', () => {
  const cpu = process.cpuUsage();
  process.stdout.write(`${(cpu.user + cpu.system) / 1000}\n`);
});
process.stdin.on('end', () => {
  void replica.close().then(() => process.exit(0));
});
