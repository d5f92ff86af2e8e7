import { StreamParseError } from '../errors/stream-parse-error.js';
import type { LineSplitterOptions } from './line-splitter.js';
import { createSseParser, type SseParserOptions } from './sse-parser.js';
import { readLines } from './text.js';

/** The outcome of parsing one line: a value, or the error and the line that caused it. */
export type JsonLineResult =
  | { success: true; value: unknown; line: string }
  | { success: false; error: StreamParseError; line: string };

function invalidJson(line: string, cause: unknown): StreamParseError {
  return new StreamParseError(`Invalid JSON in stream: ${line.slice(0, 200)}`, {
    kind: 'invalid-json',
    line,
    cause,
  });
}

/** Parses JSON text, reporting failure as a value rather than a throw. */
export function safeParseJson(line: string): JsonLineResult {
  try {
    return { success: true, value: JSON.parse(line) as unknown, line };
  } catch (cause) {
    return { success: false, line, error: invalidJson(line, cause) };
  }
}

/**
 * Reads newline-delimited JSON: one result per non-blank line, so the caller decides whether
 * a bad line is skipped (as g4f's NDJSON readers did) or fatal.
 */
export async function* readJsonLines(
  body: AsyncIterable<Uint8Array>,
  options: LineSplitterOptions = {},
): AsyncGenerator<JsonLineResult, void, undefined> {
  for await (const line of readLines(body, options)) {
    if (line.trim() === '') continue;
    yield safeParseJson(line);
  }
}

/** Options of {@link readSseJson}. */
export interface ReadSseJsonOptions extends Omit<SseParserOptions, 'onEvent'> {
  /** A data payload that ends the stream; default `[DONE]`, `null` for none. */
  doneMarker?: string | null;
}

/**
 * Yields the parsed JSON of each SSE `data` payload (`data:` with or without the space), stops
 * at `[DONE]`, and throws `StreamParseError` naming the offending payload on bad JSON, after
 * the values before it.
 */
export async function* readSseJson(
  body: AsyncIterable<Uint8Array>,
  options: ReadSseJsonOptions = {},
): AsyncGenerator<unknown, void, undefined> {
  const { doneMarker = '[DONE]', ...parserOptions } = options;
  // Events are parsed as they are cut, straight into a batch, so each value costs one
  // generator step: no second generator in between (see `pnpm bench`).
  let batch: unknown[] = [];
  let stop: 'done' | StreamParseError | undefined;
  const parser = createSseParser({
    ...parserOptions,
    onEvent: (event) => {
      if (stop !== undefined) return;
      if (event.data === doneMarker) {
        stop = 'done';
        return;
      }
      try {
        batch.push(JSON.parse(event.data));
      } catch (cause) {
        stop = invalidJson(event.data, cause);
      }
    },
  });
  for await (const chunk of body) {
    parser.feed(chunk);
    // Take the batch first: the consumer may stop between yields.
    const values = batch;
    batch = [];
    for (const value of values) yield value;
    if (stop === 'done') return;
    if (stop !== undefined) throw stop;
  }
  parser.end();
  for (const value of batch) yield value;
  if (stop !== undefined && stop !== 'done') throw stop;
}
