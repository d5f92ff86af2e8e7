import {
  Command,
  InvalidArgumentError as CommanderArgumentError,
  CommanderError,
  Option,
} from 'commander';
import { type ChatOptions, chatCommand } from './commands/chat.js';
import { type CheckOptions, checkCommand } from './commands/check.js';
import { type ImageOptions, imageCommand } from './commands/image.js';
import { type ListOptions, modelsCommand, providersCommand } from './commands/lists.js';
import { type ServeOptions, serveCommand } from './commands/serve.js';
import type { Context } from './context.js';
import { debugReport, EXIT_OK, EXIT_USAGE, errorLine, exitCodeOf } from './errors.js';
import { canonicalName, PROVIDER_NAMES } from './providers.js';
import type { OutStream } from './terminal.js';

/** The options every command takes. */
interface CommonOptions {
  baseUrl: [string, string][];
  proxy?: string;
  timeout?: number;
  replicas?: boolean;
  debug?: boolean;
}

function baseUrlOption(value: string, previous: [string, string][]): [string, string][] {
  const at = value.indexOf('=');
  if (at <= 0)
    throw new CommanderArgumentError('expected NAME=URL, e.g. Aura=http://127.0.0.1:8080');
  const url = value.slice(at + 1);
  let name: string;
  try {
    name = canonicalName(value.slice(0, at));
  } catch {
    throw new CommanderArgumentError(
      `unknown provider "${value.slice(0, at)}" (one of ${PROVIDER_NAMES.join(', ')})`,
    );
  }
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw new CommanderArgumentError(`"${url}" is not an http(s) URL`);
  }
  return [...previous, [name, url]];
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new CommanderArgumentError('expected a number above 0');
  return n;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) {
    throw new CommanderArgumentError('expected a port number from 0 to 65535');
  }
  return n;
}

function withCommonOptions(command: Command): Command {
  return command
    .option(
      '--base-url <name=url>',
      'point a provider at a mirror or a replica (repeatable)',
      baseUrlOption,
      [],
    )
    .addOption(new Option('--proxy <url>', 'HTTP(S) proxy for every request').env('G4F_PROXY'))
    .option('--timeout <seconds>', 'longest wait for each step of an answer', positiveNumber)
    .option('--replicas', "start every provider's bundled replica on loopback and use them")
    .option('--debug', 'print stack traces and causes with errors');
}

/** The streams and environment the program runs with; `process`'s by default. */
export interface MainIo {
  stdin?: NodeJS.ReadStream;
  stdout?: OutStream;
  stderr?: OutStream;
  env?: NodeJS.ProcessEnv;
}

/**
 * Runs the `g4f` command line (`argv` as in `process.argv`: node, script, then arguments) and
 * resolves with the exit code: 0 done, 1 an upstream failed, 2 a usage error, 130 interrupted.
 * Errors are printed to stderr as one line with a hint; nothing is thrown.
 */
export async function main(argv: readonly string[], io: MainIo = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  let exitCode = EXIT_OK;
  let debug = false;

  const context = (options: CommonOptions): Context => {
    debug = options.debug === true;
    return {
      settings: {
        baseUrls: new Map(options.baseUrl),
        proxy: options.proxy,
        timeout: options.timeout === undefined ? undefined : Math.round(options.timeout * 1000),
        replicas: options.replicas === true,
      },
      debug,
      stdin: io.stdin ?? process.stdin,
      stdout,
      stderr,
      env: io.env ?? process.env,
    };
  };

  const program = new Command('g4f')
    .description(
      'gpt4free for TypeScript: chat with free LLM endpoints, or serve them as an OpenAI API',
    )
    .version(__PACKAGE_VERSION__, '-V, --version')
    .exitOverride()
    .showSuggestionAfterError()
    .configureOutput({
      writeOut: (text) => stdout.write(text),
      writeErr: (text) => stderr.write(text),
    });

  withCommonOptions(
    program
      .command('chat')
      .description('ask once (prompt from arguments or stdin), or chat on a terminal')
      .argument('[prompt...]', 'the prompt; none or "-" reads it from stdin'),
  )
    .option('-p, --provider <name>', 'use this provider (g4f name or label)')
    .option('-m, --model <model>', 'ask for this model')
    .option('-s, --system <text>', 'a system message before the prompt')
    .option('--json', 'print the whole ChatCompletion as JSON instead of the text')
    .option('--no-stream', 'print the answer once it is complete')
    .action(async (words: string[], options: ChatOptions & CommonOptions) => {
      exitCode = await chatCommand(words, options, context(options));
    });

  withCommonOptions(
    program
      .command('image')
      .description('make an image and print its URL, or save it with --out')
      .argument('<prompt...>', 'what the image shows'),
  )
    .option('-p, --provider <name>', 'use this provider (g4f name or label)')
    .option('-m, --model <model>', 'ask for this image model')
    .option('-o, --out <file>', 'download the image into this file')
    .action(async (words: string[], options: ImageOptions & CommonOptions) => {
      exitCode = await imageCommand(words, options, context(options));
    });

  withCommonOptions(program.command('models').description('list the models and who serves them'))
    .option('--json', 'print JSON for scripts')
    .action(async (options: ListOptions & CommonOptions) => {
      exitCode = await modelsCommand(options, context(options));
    });

  withCommonOptions(program.command('providers').description('list the bundled providers'))
    .option('--json', 'print JSON for scripts')
    .action(async (options: ListOptions & CommonOptions) => {
      exitCode = await providersCommand(options, context(options));
    });

  withCommonOptions(
    program.command('serve').description('serve the providers as an OpenAI-compatible HTTP API'),
  )
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--port <port>', 'port; 0 picks a free one', port, 1337)
    .addOption(
      new Option('--api-key <key>', 'require this key (Bearer or g4f-api-key)').env('G4F_API_KEY'),
    )
    .option('--cors [origins]', 'allow browsers: any origin, or a comma-separated list')
    .option('--body-limit <bytes>', 'largest request body', positiveNumber)
    .option('--max-streams <n>', 'streams served at once before 503', positiveNumber)
    .option(
      '--shutdown-timeout <seconds>',
      'how long a stop lets open answers finish',
      positiveNumber,
    )
    .option('--allow-request-proxy', 'let requests set proxy or api_base')
    .option('--no-cooldown', 'keep trying providers that keep failing')
    .option('--no-log', 'do not log each request on stderr')
    .action(async (options: ServeOptions & CommonOptions) => {
      exitCode = await serveCommand(options, context(options));
    });

  withCommonOptions(
    program
      .command('check')
      .description('ask every provider (or those named) one short question, in parallel')
      .argument('[providers...]', 'provider names; default all'),
  )
    .option('--json', 'print JSON for scripts')
    .action(async (names: string[], options: CheckOptions & CommonOptions) => {
      exitCode = await checkCommand(names, options, context(options));
    });

  try {
    await program.parseAsync([...argv]);
    return exitCode;
  } catch (error) {
    // Commander has already printed its own message (unknown option, missing argument, …).
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    stderr.write(`${errorLine(error)}\n`);
    if (debug) stderr.write(`${debugReport(error)}\n`);
    return exitCodeOf(error);
  }
}
