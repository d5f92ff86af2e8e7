import { ProviderError } from '@g4f/core';
import type { AnswerEnd } from './answer.js';
import type { ChatCompletionChunk, CompletionUsage } from './types.js';

/** Fields every chunk of one answer shares. */
export interface StreamHead {
  id: string;
  created: number;
  model: string;
  provider: string;
  promptTokens: number;
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
  readonly #source: AsyncGenerator<string, AnswerEnd, undefined>;
  #first: IteratorResult<string, AnswerEnd> | undefined;
  #used = false;

  /** @internal Built by `client.chat.completions.create({ stream: true })`. */
  constructor(
    head: StreamHead,
    source: AsyncGenerator<string, AnswerEnd, undefined>,
    first: IteratorResult<string, AnswerEnd>,
  ) {
    this.id = head.id;
    this.created = head.created;
    this.model = head.model;
    this.provider = head.provider;
    this.#promptTokens = head.promptTokens;
    this.#source = source;
    this.#first = first;
  }

  [Symbol.asyncIterator](): AsyncIterator<ChatCompletionChunk> {
    if (this.#used)
      throw new ProviderError('This stream was already read; a stream can be read once');
    this.#used = true;
    return this.#chunks();
  }

  async *#chunks(): AsyncGenerator<ChatCompletionChunk, void, undefined> {
    let result = this.#first!;
    this.#first = undefined;
    try {
      while (!result.done) {
        yield this.#chunk(result.value, null, null);
        result = await this.#source.next();
      }
    } finally {
      // Runs on break, throw or return too: ends the provider's generator and its socket.
      if (!result.done) await this.#source.return(undefined as never);
    }
    const end = result.value;
    const usage: CompletionUsage = {
      prompt_tokens: this.#promptTokens,
      completion_tokens: end.completionTokens,
      total_tokens: this.#promptTokens + end.completionTokens,
      prompt_tokens_details: { cached_tokens: 0 },
    };
    yield this.#chunk('', end.finishReason, usage);
  }

  #chunk(
    content: string,
    finishReason: ChatCompletionChunk['choices'][0]['finish_reason'],
    usage: CompletionUsage | null,
  ): ChatCompletionChunk {
    return {
      id: this.id,
      object: 'chat.completion.chunk',
      created: this.created,
      model: this.model,
      provider: this.provider,
      choices: [
        {
          index: 0,
          delta: { role: 'assistant', content },
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
    await this.#source.return(undefined as never);
  }
}
