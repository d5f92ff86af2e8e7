import type { Chunk, Reasoning, ToolCalls, Usage } from '@g4f/core';
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
  /** Count the answer's tokens at the end (skipped when nobody will read the usage). */
  countUsage: boolean;
  /** Told about the provider's error before it is raised (the health record). */
  onFailure?: (error: unknown) => void;
}

/** How an answer ended. */
export interface AnswerEnd {
  finishReason: FinishReasonName;
  /** Tokens of the text given (the count the limit was applied to, with `max_tokens`). */
  completionTokens: number;
  /** The counts the upstream reported, when it did. */
  usage?: Usage;
}

/** What the reader hands on: text deltas, and the typed chunks that travel with them. */
export type AnswerPiece = string | Reasoning | ToolCalls;

/**
 * Turns a provider's chunks into the text deltas of the answer: images become Markdown,
 * finish reasons are absorbed, stop strings and `max_tokens` cut the text and close the
 * upstream. An upstream that ends without any content is a `RetryNoProviderError`, never an
 * empty answer. Written as a plain iterator rather than an async generator: it sits on
 * every chunk's path, and a generator's extra promise turns per `yield` showed in the bench.
 */
export class AnswerReader implements AsyncIterator<AnswerPiece, AnswerEnd, undefined> {
  private readonly upstream: AsyncIterator<Chunk, void, undefined>;
  private readonly limits: AnswerLimits;
  private readonly cutter: StopCutter | undefined;
  private used = 0;
  private text = '';
  private sawContent = false;
  private reported: FinishReasonName = 'stop';
  private usage: Usage | undefined;
  private end: AnswerEnd | undefined;

  constructor(chunks: AsyncIterable<Chunk>, limits: AnswerLimits) {
    this.upstream = chunks[Symbol.asyncIterator]() as AsyncIterator<Chunk, void, undefined>;
    this.limits = limits;
    this.cutter = limits.stop.length > 0 ? new StopCutter(limits.stop) : undefined;
  }

  async next(): Promise<IteratorResult<AnswerPiece, AnswerEnd>> {
    for (;;) {
      if (this.end) return { done: true, value: this.end };
      let result: IteratorResult<Chunk, void>;
      try {
        result = await this.upstream.next();
      } catch (error) {
        this.end = { finishReason: 'stop', completionTokens: this.used };
        this.limits.onFailure?.(error);
        throw error;
      }
      if (result.done) return this.finish();
      const chunk = result.value;
      let piece: string;
      if (typeof chunk === 'string') piece = chunk;
      else if (chunk.type === 'image') piece = chunk.toString();
      else if (chunk.type === 'finish-reason') {
        if (chunk.reason === 'length' || chunk.reason === 'tool_calls')
          this.reported = chunk.reason;
        continue;
      } else if (chunk.type === 'usage') {
        this.usage = chunk;
        continue;
      } else {
        // Reasoning and tool calls pass by the stop and token limits, which apply to text.
        if (chunk.type === 'tool-calls') {
          this.sawContent = true;
          this.reported = 'tool_calls';
        }
        return { done: false, value: chunk };
      }
      if (piece === '') continue;
      this.sawContent = true;
      let stopped = false;
      if (this.cutter) ({ text: piece, stopped } = this.cutter.push(piece));
      const { delta, full } = this.limit(piece);
      if (full || stopped) {
        this.end = this.ending(full ? 'length' : 'stop');
        // Ending early closes the provider's generator, and with it the socket.
        await this.upstream.return?.();
      }
      if (delta !== '') {
        this.text += delta;
        return { done: false, value: delta };
      }
    }
  }

  /** Stops reading and closes the upstream; safe to call at any time. */
  async return(): Promise<IteratorResult<AnswerPiece, AnswerEnd>> {
    if (!this.end) {
      this.end = this.ending('stop');
      await this.upstream.return?.();
    }
    return { done: true, value: this.end };
  }

  private async finish(): Promise<IteratorResult<AnswerPiece, AnswerEnd>> {
    if (!this.sawContent) {
      const error = new RetryNoProviderError(
        `No content response from ${this.limits.providerName}`,
      );
      this.end = { finishReason: 'stop', completionTokens: 0 };
      this.limits.onFailure?.(error);
      throw error;
    }
    let reason = this.reported;
    let delta = '';
    if (this.cutter) {
      const rest = this.cutter.flush();
      const limited = this.limit(rest.text);
      delta = limited.delta;
      if (rest.stopped) reason = 'stop';
      if (limited.full) reason = 'length';
    }
    this.text += delta;
    this.end = this.ending(reason);
    return delta === '' ? { done: true, value: this.end } : { done: false, value: delta };
  }

  /** Applies max_tokens to text that passed the stop check; `full` once the limit is reached. */
  private limit(delta: string): { delta: string; full: boolean } {
    const max = this.limits.maxTokens;
    if (max === undefined) return { delta, full: false };
    const tokens = countTokens(delta);
    if (this.used + tokens <= max) {
      this.used += tokens;
      return { delta, full: false };
    }
    const head = firstTokens(delta, max - this.used);
    this.used = max;
    return { delta: head, full: true };
  }

  private ending(finishReason: FinishReasonName): AnswerEnd {
    // Counting the whole text is the client's largest per-answer cost (about 12 ms per 90 KB).
    const completionTokens =
      this.limits.maxTokens !== undefined || !this.limits.countUsage
        ? this.used
        : countTokens(this.text);
    return { finishReason, completionTokens, ...(this.usage ? { usage: this.usage } : {}) };
  }
}
