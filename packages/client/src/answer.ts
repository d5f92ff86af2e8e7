import type { Chunk } from '@g4f/core';
import { RetryNoProviderError } from './errors.js';
import { StopCutter } from './stop.js';
import { countTokens, firstTokens } from './tokens.js';
import type { FinishReasonName } from './types.js';

/** Limits applied to an answer as it streams. */
export interface AnswerLimits {
  stop: readonly string[];
  /** Tokens at most; `undefined` for no limit. */
  maxTokens: number | undefined;
  /** Named in the error when the provider sends nothing. */
  providerName: string;
}

/** How an answer ended. */
export interface AnswerEnd {
  finishReason: FinishReasonName;
  /** Tokens of the text given (the count the limit was applied to, with `max_tokens`). */
  completionTokens: number;
}

/**
 * Turns a provider's chunks into the text deltas of the answer: images become Markdown,
 * finish reasons are absorbed, stop strings and `max_tokens` cut the text and close the
 * upstream (returning from the loop ends the provider's generator, which closes its socket).
 * An upstream that ends without any content is a `RetryNoProviderError`, never an empty answer.
 */
export async function* answerDeltas(
  chunks: AsyncIterable<Chunk>,
  limits: AnswerLimits,
): AsyncGenerator<string, AnswerEnd, undefined> {
  const cutter = limits.stop.length > 0 ? new StopCutter(limits.stop) : undefined;
  const max = limits.maxTokens;
  let used = 0;
  let text = '';
  let sawContent = false;
  let finishReason: FinishReasonName = 'stop';
  // Applies max_tokens to text that passed the stop check; false once the limit is reached.
  const limited = (delta: string): { delta: string; full: boolean } => {
    if (max === undefined) return { delta, full: false };
    const tokens = countTokens(delta);
    if (used + tokens <= max) {
      used += tokens;
      return { delta, full: false };
    }
    const head = firstTokens(delta, max - used);
    used = max;
    return { delta: head, full: true };
  };

  for await (const chunk of chunks) {
    let piece: string;
    if (typeof chunk === 'string') piece = chunk;
    else if (chunk.type === 'image') piece = chunk.toString();
    else {
      if (chunk.reason === 'length') finishReason = 'length';
      continue;
    }
    if (piece === '') continue;
    sawContent = true;
    let stopped = false;
    if (cutter) ({ text: piece, stopped } = cutter.push(piece));
    const { delta, full } = limited(piece);
    if (delta !== '') {
      text += delta;
      yield delta;
    }
    if (full) return { finishReason: 'length', completionTokens: used };
    if (stopped) return end('stop');
  }
  if (!sawContent) {
    throw new RetryNoProviderError(`No content response from ${limits.providerName}`);
  }
  if (cutter) {
    const { delta, full } = limited(cutter.flush());
    if (delta !== '') {
      text += delta;
      yield delta;
    }
    if (full) return { finishReason: 'length', completionTokens: used };
  }
  return end(finishReason);

  function end(reason: FinishReasonName): AnswerEnd {
    return { finishReason: reason, completionTokens: max === undefined ? countTokens(text) : used };
  }
}
