import type { CommonSettings } from './providers.js';
import type { OutStream } from './terminal.js';

/** What every command gets: the common options and the process's streams. */
export interface Context {
  settings: CommonSettings;
  debug: boolean;
  stdin: NodeJS.ReadStream;
  stdout: OutStream;
  stderr: OutStream;
  env: NodeJS.ProcessEnv;
}

/** Reads all of stdin as UTF-8. */
export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const parts: Buffer[] = [];
  for await (const part of stream) parts.push(Buffer.isBuffer(part) ? part : Buffer.from(part));
  return Buffer.concat(parts).toString('utf8');
}

/**
 * An AbortController that Ctrl-C (SIGINT) and SIGTERM abort while `run` is going; the returned
 * promise says whether a signal came. A second Ctrl-C leaves at once, as terminals expect.
 */
export async function withInterrupt<T>(
  run: (signal: AbortSignal) => Promise<T>,
): Promise<{ value?: T; interrupted: boolean }> {
  const controller = new AbortController();
  let interrupted = false;
  const onSignal = (name: NodeJS.Signals) => {
    if (interrupted) process.exit(130);
    interrupted = true;
    controller.abort(new Error(`interrupted by ${name}`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const value = await run(controller.signal);
    return { value, interrupted };
  } catch (error) {
    if (interrupted) return { interrupted };
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
