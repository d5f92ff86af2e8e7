// `pnpm bench:timeout` in core: how far httpRequest's `timeout` lands from its target against a
// hung loopback server, for the headers and the between-chunks (body) wait. The documented
// target is within 50 ms; undici's own timers tick about once a second, which is why core keeps
// its own.
import { httpRequest } from '../src/http/http-request.js';
import { createReplicaServer } from '../src/replica/replica-server.js';

const TARGETS = [100, 250, 500, 1000];
const RUNS = 5;

const replica = await createReplicaServer({
  routes: { 'GET /hang': () => ({ body: 'never' }), 'GET /stall': () => ({ body: 'ab' }) },
});
replica.fail('GET /hang', { kind: 'hang' });
replica.fail('GET /stall', { kind: 'stall', afterBytes: 1 });

async function elapsed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  try {
    await run();
  } catch {
    // The timeout is the expected end.
  }
  return performance.now() - started;
}

console.log('phase    target  mean over target  worst over target');
for (const phase of ['headers', 'body'] as const) {
  for (const target of TARGETS) {
    const overs: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const took =
        phase === 'headers'
          ? await elapsed(() => httpRequest(`${replica.url}/hang`, { timeout: target }))
          : await (async () => {
              const response = await httpRequest(`${replica.url}/stall`, { timeout: target });
              return elapsed(() => response.text());
            })();
      overs.push(took - target);
    }
    const mean = overs.reduce((a, b) => a + b, 0) / overs.length;
    const worst = Math.max(...overs);
    const flag = worst <= 50 ? 'ok' : 'OVER 50 ms';
    console.log(
      `${phase.padEnd(8)} ${String(target).padStart(6)}  ${mean.toFixed(1).padStart(16)}  ${worst.toFixed(1).padStart(17)}  ${flag}`,
    );
  }
}
await replica.close();
