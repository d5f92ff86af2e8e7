import { Client } from '@g4f/client';
import type { Messages } from '@g4f/core';
import { type Context, readAll, withInterrupt } from '../context.js';
import { EXIT_INTERRUPTED, EXIT_OK, UsageError } from '../errors.js';
import { buildProviders, canonicalName } from '../providers.js';
import { createSpinner } from '../terminal.js';
import { interactiveChat } from './interactive.js';

/** Options of `g4f chat`. */
export interface ChatOptions {
  provider?: string;
  model?: string;
  system?: string;
  json?: boolean;
  /** `--no-stream` sets it false. */
  stream: boolean;
}

/** What one answer needs besides the messages. */
export interface AnswerSettings {
  client: Client;
  provider: string | undefined;
  model: string | undefined;
}

/**
 * Streams one answer to `ctx.stdout` with a spinner until the first text; returns the text
 * given (also when `signal` stopped it or it failed after some text: then it throws with
 * `partial` set).
 */
export async function streamAnswer(
  messages: Messages,
  answer: AnswerSettings,
  ctx: Context,
  signal: AbortSignal,
): Promise<string> {
  const spinner = createSpinner(ctx.stderr);
  spinner.start('waiting for the first token');
  let text = '';
  try {
    const stream = await answer.client.chat.completions.create({
      messages,
      model: answer.model,
      provider: answer.provider,
      stream: true,
      signal,
    });
    spinner.stop();
    for await (const chunk of stream) {
      const piece = chunk.choices[0].delta.content;
      text += piece;
      ctx.stdout.write(piece);
    }
    return text;
  } catch (error) {
    throw Object.assign(asError(error), { partial: text });
  } finally {
    spinner.stop();
    if (text && !text.endsWith('\n')) ctx.stdout.write('\n');
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** The text a failed {@link streamAnswer} had already given. */
export function partialText(error: unknown): string {
  const partial = (error as { partial?: unknown } | undefined)?.partial;
  return typeof partial === 'string' ? partial : '';
}

/** `g4f chat [prompt...]`. */
export async function chatCommand(
  words: readonly string[],
  options: ChatOptions,
  ctx: Context,
): Promise<number> {
  const provider = options.provider === undefined ? undefined : canonicalName(options.provider);
  const fromStdin = words.length === 0 || (words.length === 1 && words[0] === '-');
  const interactive = words.length === 0 && ctx.stdin.isTTY === true;
  let prompt = '';
  if (!interactive) {
    prompt = fromStdin ? (await readAll(ctx.stdin)).trim() : words.join(' ');
    if (!prompt) throw new UsageError('the prompt is empty', 'give it as arguments or on stdin');
  }
  const set = await buildProviders(ctx.settings);
  try {
    const client = new Client({
      providers: set.providers,
      proxy: ctx.settings.proxy,
      timeout: ctx.settings.timeout,
    });
    const answer: AnswerSettings = { client, provider, model: options.model };
    const system: Messages = options.system ? [{ role: 'system', content: options.system }] : [];
    if (interactive) return await interactiveChat(system, answer, ctx);
    const messages: Messages = [...system, { role: 'user', content: prompt }];
    const { interrupted } = await withInterrupt(async (signal) => {
      if (options.json || !options.stream) {
        const spinner = createSpinner(ctx.stderr);
        spinner.start('waiting for the answer');
        try {
          const completion = await client.chat.completions.create({
            messages,
            model: answer.model,
            provider: answer.provider,
            signal,
          });
          spinner.stop();
          ctx.stdout.write(
            options.json
              ? `${JSON.stringify(completion, null, 2)}\n`
              : `${completion.choices[0].message.content.replace(/\n?$/, '\n')}`,
          );
        } finally {
          spinner.stop();
        }
      } else {
        await streamAnswer(messages, answer, ctx, signal);
      }
    });
    return interrupted ? EXIT_INTERRUPTED : EXIT_OK;
  } finally {
    await set.close();
  }
}
