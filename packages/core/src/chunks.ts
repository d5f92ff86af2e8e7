import type { ToolCall } from './messages.js';

/** Why an answer ended, as a hidden chunk (g4f `FinishReason`). */
export class FinishReason {
  readonly type = 'finish-reason' as const;
  constructor(
    /** For example `stop` or `length`. */
    readonly reason: string,
  ) {}
}

/** One or more generated images (g4f `ImageResponse`). */
export class ImageResponse {
  readonly type = 'image' as const;
  /** Image URLs, at least one. */
  readonly urls: readonly string[];
  constructor(
    urls: string | readonly string[],
    /** Alt text, usually the prompt. */
    readonly alt: string,
  ) {
    this.urls = typeof urls === 'string' ? [urls] : [...urls];
  }

  /** Markdown as g4f renders it: `[![alt](url)](url)`, one line per image. */
  toString(): string {
    const alt = this.alt.replace(/\s+/g, ' ').trim();
    if (this.urls.length === 1) return `[![${alt}](${this.urls[0]})](${this.urls[0]})`;
    return this.urls.map((url, i) => `[![#${i + 1} ${alt}](${url})](${url})`).join('\n');
  }
}

/**
 * Reasoning ("thinking") text of a model, kept apart from the answer (g4f `Reasoning`): a
 * caller that joins the text never mixes it into the answer.
 */
export class Reasoning {
  readonly type = 'reasoning' as const;
  constructor(
    /** A piece of the reasoning, streamed like text deltas. */
    readonly text: string,
  ) {}
}

/** Token counts the upstream reported for one answer (g4f `Usage`). */
export class Usage {
  readonly type = 'usage' as const;
  constructor(
    readonly promptTokens: number,
    readonly completionTokens: number,
    readonly totalTokens: number = promptTokens + completionTokens,
  ) {}
}

/**
 * A piece of a tool call as it streams: the first piece of a call has its `id` and function
 * `name`, later pieces (same `index`) append to its `arguments`.
 */
export interface ToolCallDelta {
  /** Which call of the answer this piece belongs to. */
  index: number;
  id?: string;
  type?: 'function';
  function?: { name?: string; arguments?: string };
}

/** Tool calls the model made, whole or in streamed pieces (g4f `ToolCalls`). */
export class ToolCalls {
  readonly type = 'tool-calls' as const;
  constructor(readonly calls: readonly ToolCallDelta[]) {}
}

/** What a provider's generator yields: text deltas or typed objects. */
export type Chunk = string | ImageResponse | FinishReason | Reasoning | Usage | ToolCalls;

/** Reads a provider's generator to the end and returns every chunk, in order. */
export async function collectChunks(generator: AsyncIterable<Chunk>): Promise<Chunk[]> {
  const chunks: Chunk[] = [];
  for await (const chunk of generator) chunks.push(chunk);
  return chunks;
}

/** The text of an answer: string chunks joined, typed chunks left out. */
export function joinText(chunks: readonly Chunk[]): string {
  return chunks.filter((chunk): chunk is string => typeof chunk === 'string').join('');
}

/**
 * Joins streamed tool-call pieces into whole calls, by `index` in order of first appearance:
 * the first `id`, `name` and `type` seen win, `arguments` are concatenated. A call that never
 * got an id is given `call_<index>`.
 */
export function joinToolCalls(pieces: Iterable<ToolCallDelta>): ToolCall[] {
  const byIndex = new Map<number, ToolCall>();
  for (const piece of pieces) {
    let call = byIndex.get(piece.index);
    if (!call) {
      call = { id: '', type: 'function', function: { name: '', arguments: '' } };
      byIndex.set(piece.index, call);
    }
    if (piece.id && !call.id) call.id = piece.id;
    if (piece.function?.name && !call.function.name) call.function.name = piece.function.name;
    if (piece.function?.arguments) call.function.arguments += piece.function.arguments;
  }
  return [...byIndex].map(([index, call]) => (call.id ? call : { ...call, id: `call_${index}` }));
}
