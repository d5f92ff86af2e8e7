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

/** What a provider's generator yields: text deltas or typed objects. */
export type Chunk = string | ImageResponse | FinishReason;

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
