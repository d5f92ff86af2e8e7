import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';
import type { Messages } from '@g4f/core';
import type { Context } from '../context.js';
import { debugReport, EXIT_OK, errorLine } from '../errors.js';
import { colourEnabled, styles } from '../terminal.js';
import { type AnswerSettings, partialText, streamAnswer } from './chat.js';

/**
 * The chat a terminal gets from `g4f chat` with no prompt: the conversation is kept across
 * turns, Ctrl-C stops the answer being written (or clears the line being typed), Ctrl-D leaves.
 */
export async function interactiveChat(
  system: Messages,
  answer: AnswerSettings,
  ctx: Context,
): Promise<number> {
  const style = styles(colourEnabled(ctx.stdout, ctx.env));
  const rl = createInterface({
    input: ctx.stdin,
    output: ctx.stdout as Writable,
    terminal: true,
    prompt: style.bold('> '),
  });
  const messages: Messages = [...system];
  let current: AbortController | undefined;
  rl.on('SIGINT', () => {
    if (current) {
      current.abort(new Error('stopped by Ctrl-C'));
      return;
    }
    // At the prompt Ctrl-C drops what was typed, as shells do; only Ctrl-D leaves.
    rl.write(null, { ctrl: true, name: 'e' });
    rl.write(null, { ctrl: true, name: 'u' });
    ctx.stdout.write(`\n${style.dim('(Ctrl-D to leave)')}\n`);
    rl.prompt();
  });
  ctx.stderr.write(
    style.dim('g4f chat: Ctrl-C stops an answer, Ctrl-D leaves. The conversation is kept.\n'),
  );
  rl.prompt();
  for await (const line of rl) {
    const text = line.trim();
    if (!text) {
      rl.prompt();
      continue;
    }
    messages.push({ role: 'user', content: text });
    const controller = new AbortController();
    current = controller;
    try {
      const reply = await streamAnswer(messages, answer, ctx, controller.signal);
      messages.push({ role: 'assistant', content: reply });
    } catch (error) {
      // What was shown stays in the conversation; a turn that showed nothing is forgotten.
      const shown = partialText(error);
      if (shown) messages.push({ role: 'assistant', content: shown });
      else messages.pop();
      if (controller.signal.aborted) ctx.stderr.write(`${style.dim('[stopped]')}\n`);
      else {
        ctx.stderr.write(`${style.red(errorLine(error))}\n`);
        if (ctx.debug) ctx.stderr.write(`${debugReport(error)}\n`);
      }
    } finally {
      current = undefined;
    }
    rl.prompt();
  }
  ctx.stdout.write('\n');
  return EXIT_OK;
}
