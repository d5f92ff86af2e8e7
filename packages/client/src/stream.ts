import { ProviderError } from '@g4f/core';
import type { AnswerEnd, AnswerPiece, AnswerReader } from './answer.js';
import type { ChatCompletionChunk, ChatCompletionDelta, CompletionUsage } from './types.js';

/** Fields every chunk of one answer shares. */
export interface StreamHead {
  id: string;
  created: number;
  model: string;
  provider: string;
  promptTokens: number;
  /** Whether the last chunk carries `usage` (`stream_options.include_usage`, default true). */
  includeUsage: boolean;
}

/**
 * A streamed answer: an async iterable of `ChatCompletionChunk`s that can be read once.
 * The first piece of content has already arrived when you get it (so failures before any
 * content reject `create()` itself). Leaving the loop early, or aborting the call's signal,
 * closes the upstream socket. If you will not read it, call {@link close}.
 */
export class ChatCompletionStream implements AsyncIterable<ChatCompletionChunk> {
  /** `chatcmpl-…`, shared by every chunk. */
  readonly id: string;
  /** Unix time in seconds. */
  readonly created: number;
  /** The model that answers. */
  readonly model: string;
  /** g4f name of the provider that answers. */
  readonly provider: string;
  readonly #promptTokens: number;
  readonly #includeUsage: boolean;
  readonly #source: AnswerReader;
  #first: IteratorResult<AnswerPiece, AnswerEnd> | undefined;
  #used = false;

  /** @internal Built by `client.chat.completions.create({ stream: true })`. */
  constructor(
    head: StreamHead,
    source: AnswerReader,
    first: IteratorResult<AnswerPiece, AnswerEnd>,
  ) {
    this.id = head.id;
    this.created = head.created;
    this.model = head.model;
    this.provider = head.provider;
    this.#promptTokens = head.promptTokens;
    this.#includeUsage = head.includeUsage;
    this.#source = source;
    this.#first = first;
  }

  [Symbol.asyncIterator](): AsyncIterator<ChatCompletionChunk> {
    if (this.#used)
      throw new ProviderError('This stream was already read; a stream can be read once');
    this.#used = true;
    const source = this.#source;
    let first = this.#first;
    this.#first = undefined;
    let finished = false;
    // A plain iterator, not an async generator, and `then` rather than `await`: fewer promise
    // turns per chunk, which the bench shows.
    const toChunk = (result: IteratorResult<AnswerPiece, AnswerEnd>) => {
      if (!result.done) {
        return { done: false as const, value: this.#chunk(result.value, null, null) };
      }
      finished = true;
      const end = result.value;
      const usage: CompletionUsage | null = this.#includeUsage
        ? completionUsage(this.#promptTokens, end)
        : null;
      return { done: false as const, value: this.#chunk('', end.finishReason, usage) };
    };
    const failed = (error: unknown): never => {
      finished = true;
      throw error;
    };
    return {
      next: (): Promise<IteratorResult<ChatCompletionChunk, undefined>> => {
        if (finished) return Promise.resolve({ done: true, value: undefined });
        if (first) {
          const result = first;
          first = undefined;
          return Promise.resolve(toChunk(result));
        }
        return source.next().then(toChunk, failed);
      },
      // `for await` calls this on break, return or a throw in the loop body.
      return: async (): Promise<IteratorResult<ChatCompletionChunk, undefined>> => {
        if (!finished) {
          finished = true;
          first = undefined;
          await source.return();
        }
        return { done: true, value: undefined };
      },
    };
  }

  #chunk(
    piece: AnswerPiece,
    finishReason: ChatCompletionChunk['choices'][0]['finish_reason'],
    usage: CompletionUsage | null,
  ): ChatCompletionChunk {
    let delta: ChatCompletionDelta;
    if (typeof piece === 'string') delta = { role: 'assistant', content: piece };
    else if (piece.type === 'reasoning') {
      delta = { role: 'assistant', content: '', reasoning_content: piece.text };
    } else delta = { role: 'assistant', content: '', tool_calls: [...piece.calls] };
    return {
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      provider: this.provider,
      choices: [
        {
          index: 0,
          delta,
          finish_reason: finishReason,
          logprobs: null,
        },
      ],
      usage,
    };
  }

  /**
   * The chunks as a web `ReadableStream` of newline-delimited JSON, as the `openai` SDK's
   * `Stream.toReadableStream()` gives them. Cancelling it closes the upstream.
   */
  toReadableStream(): ReadableStream<Uint8Array> {
    const iterator = this[Symbol.asyncIterator]();
    const encoder = new TextEncoder();
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          const { done, value } = await iterator.next();
          if (done) controller.close();
          else controller.enqueue(encoder.encode(`${JSON.stringify(value)}\n`));
        } catch (error) {
          controller.error(error);
        }
      },
      async cancel() {
        await iterator.return?.();
      },
    });
  }

  /** Closes the upstream without reading the rest; nothing more can be read afterwards. */
  async close(): Promise<void> {
    this.#used = true;
    this.#first = undefined;
    await this.#source.return();
  }
}

/** The usage of an answer: the upstream's counts when it gave them, else the estimate. */
export function completionUsage(promptTokens: number, end: AnswerEnd): CompletionUsage {
  if (end.usage) {
    return {
      prompt_tokens: end.usage.promptTokens,
      completion_tokens: end.usage.completionTokens,
      total_tokens: end.usage.totalTokens,
      prompt_tokens_details: { cached_tokens: 0 },
    };
  }
  return {
    prompt_tokens: promptTokens,
    completion_tokens: end.completionTokens,
    total_tokens: promptTokens + end.completionTokens,
    prompt_tokens_details: { cached_tokens: 0 },
  };
}
