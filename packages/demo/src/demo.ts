// `pnpm demo`: starts each replica on 127.0.0.1 and runs the real provider code against it,
// so a machine with no network shows the whole flow.
import { coreStream } from './core-stream.js';

interface Scene {
  title: string;
  run: (write: (text: string) => void) => Promise<void>;
}

const scenes: Scene[] = [{ title: '@g4f/core: SSE stream from a replica', run: coreStream }];

let failed = 0;
for (const scene of scenes) {
  process.stdout.write(`\n== ${scene.title}\n`);
  const started = performance.now();
  try {
    await scene.run((text) => process.stdout.write(text));
    process.stdout.write(`\n   (${Math.round(performance.now() - started)} ms)\n`);
  } catch (error) {
    failed++;
    process.stdout.write(
      `\n   failed: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`,
    );
  }
}
process.stdout.write(`\n${scenes.length - failed} of ${scenes.length} scenes streamed.\n`);
process.exitCode = failed > 0 ? 1 : 0;
