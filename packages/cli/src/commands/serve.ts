import { Client } from '@g4f/client';
import { type ServerOptions, startServer } from '@g4f/server';
import type { Context } from '../context.js';
import { EXIT_OK } from '../errors.js';
import { buildProviders } from '../providers.js';
import { colourEnabled, styles } from '../terminal.js';

/** Options of `g4f serve`. */
export interface ServeOptions {
  host: string;
  port: number;
  apiKey?: string;
  /** `--cors` alone is `true`; with a value, a comma-separated list of origins. */
  cors?: boolean | string;
  bodyLimit?: number;
  maxStreams?: number;
  /** Seconds. */
  shutdownTimeout?: number;
  allowRequestProxy?: boolean;
  cooldown: boolean;
  log: boolean;
}

/**
 * `g4f serve`: the OpenAI-compatible API until SIGINT or SIGTERM, then a clean stop that lets
 * open streams finish (up to `--shutdown-timeout`).
 */
export async function serveCommand(options: ServeOptions, ctx: Context): Promise<number> {
  const set = await buildProviders(ctx.settings);
  const style = styles(colourEnabled(ctx.stderr, ctx.env));
  try {
    const client = new Client({
      providers: set.providers,
      proxy: ctx.settings.proxy,
      timeout: ctx.settings.timeout,
      cooldown: options.cooldown,
    });
    const serverOptions: ServerOptions = {
      client,
      providers: set.providers,
      host: options.host,
      port: options.port,
    };
    if (options.apiKey) serverOptions.apiKey = options.apiKey;
    if (options.cors !== undefined) {
      serverOptions.cors =
        options.cors === true
          ? true
          : String(options.cors)
              .split(',')
              .map((o) => o.trim());
    }
    if (options.bodyLimit !== undefined) serverOptions.bodyLimit = options.bodyLimit;
    if (options.maxStreams !== undefined) serverOptions.maxConcurrentStreams = options.maxStreams;
    if (options.shutdownTimeout !== undefined) {
      serverOptions.shutdownTimeout = options.shutdownTimeout * 1000;
    }
    if (options.allowRequestProxy) serverOptions.allowRequestProxy = true;
    if (options.log) {
      serverOptions.logger = (entry) => {
        const line = `${entry.method} ${entry.route} ${entry.status} ${Math.round(entry.durationMs)} ms`;
        ctx.stderr.write(
          `${entry.status >= 400 ? style.red(line) : style.dim(line)}${entry.error ? ` ${entry.error}` : ''}\n`,
        );
      };
    }
    const server = await startServer(serverOptions);
    if (set.replicas.length > 0) {
      ctx.stderr.write(
        style.dim(`replicas: ${set.replicas.length} on loopback (--replicas), no network needed\n`),
      );
    }
    ctx.stderr.write(`g4f serve: OpenAI-compatible API at ${style.bold(`${server.url}/v1`)}\n`);
    // The URL alone on stdout, for scripts that start the server on port 0.
    ctx.stdout.write(`${server.url}/v1\n`);
    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    // A second signal while draining stops at once.
    const force = () => process.exit(130);
    process.once('SIGINT', force);
    process.once('SIGTERM', force);
    const open = server.app.inFlight;
    ctx.stderr.write(
      `g4f serve: ${signal}, stopping${open > 0 ? ` (letting ${open} open requests finish)` : ''}\n`,
    );
    await server.close();
    ctx.stderr.write('g4f serve: stopped\n');
    return EXIT_OK;
  } finally {
    await set.close();
  }
}
