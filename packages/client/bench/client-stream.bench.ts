// `pnpm bench` in client: a 10,000-piece answer from the Acytoo replica on loopback, read
// through the bare provider generator and through the client's stream (named provider, and
// routed through an IterListProvider; and without the usage count), in one process. Prints
// each median and the ratio.
import { Acytoo } from '@g4f/acytoo';
import { createAcytooReplica } from '@g4f/acytoo/replica';
// The built entry, as users get it (the source needs the build-time __PACKAGE_VERSION__).
import { Client } from '../dist/index.js';

const PIECES = 10_000;
const ROUNDS = 15;
const piece = 'token ab '; // 9 ASCII bytes: every write is one piece of text
const replica = await createAcytooReplica({
  answer: piece.repeat(PIECES),
  chunkBytes: piece.length,
  chunkDelayMs: 0,
});
const provider = new Acytoo({ baseUrl: replica.url });
const named = new Client({ providers: [provider], provider: 'Acytoo' });
const routed = new Client({ providers: [provider] });
const messages = [{ role: 'user' as const, content: 'Count.' }];

interface Contender {
  name: string;
  run: () => Promise<{ chunks: number; length: number }>;
}

const contenders: Contender[] = [
  {
    name: 'bare provider generator',
    run: async () => {
      let chunks = 0;
      let length = 0;
      for await (const chunk of provider.createAsyncGenerator({ messages })) {
        chunks++;
        length += String(chunk).length;
      }
      return { chunks, length };
    },
  },
  ...(
    [
      ['client stream, named provider', named, true],
      ['client stream, routed by model', routed, true],
      ['client stream, named, no usage', named, false],
    ] as const
  ).map(([name, client, includeUsage]) => ({
    name,
    run: async () => {
      let chunks = 0;
      let length = 0;
      const stream = await client.chat.completions.create({
        messages,
        stream: true,
        stream_options: { include_usage: includeUsage },
      });
      for await (const chunk of stream) {
        chunks++;
        length += chunk.choices[0].delta.content.length;
      }
      return { chunks, length };
    },
  })),
];

const times = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
// CPU time of this process (replica and reader both live here) is steadier than wall time on a
// shared machine; both are printed.
const cpu = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
const seen = new Map<string, { chunks: number; length: number }>();
for (let round = -2; round < ROUNDS; round++) {
  // Alternate the order each round so neither side always runs on a warmer machine.
  const order = round % 2 === 0 ? contenders : [...contenders].reverse();
  for (const contender of order) {
    const started = performance.now();
    const cpuStart = process.cpuUsage();
    const result = await contender.run();
    const ms = performance.now() - started;
    const used = process.cpuUsage(cpuStart);
    if (result.length !== piece.length * PIECES) {
      throw new Error(
        `${contender.name} read ${result.length} characters, not ${piece.length * PIECES}`,
      );
    }
    seen.set(contender.name, result);
    if (round >= 0) {
      times.get(contender.name)!.push(ms);
      cpu.get(contender.name)!.push((used.user + used.system) / 1000);
    }
  }
}
await replica.close();

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const base = median(times.get(contenders[0]!.name)!);
const cpuBase = median(cpu.get(contenders[0]!.name)!);
console.log(
  `${PIECES} pieces written by the replica, ${ROUNDS} rounds, medians (target <= 1.05x):`,
);
for (const contender of contenders) {
  const ms = median(times.get(contender.name)!);
  const cpuMs = median(cpu.get(contender.name)!);
  const { chunks } = seen.get(contender.name)!;
  console.log(
    `  ${contender.name.padEnd(32)} wall ${ms.toFixed(1).padStart(7)} ms ${(ms / base).toFixed(3)}x   cpu ${cpuMs.toFixed(1).padStart(7)} ms ${(cpuMs / cpuBase).toFixed(3)}x   ${chunks} chunks read`,
  );
}
