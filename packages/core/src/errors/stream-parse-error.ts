import { ProviderError, type ProviderErrorOptions } from './provider-error.js';

/** Why a stream could not be parsed. */
export type StreamParseErrorKind = 'invalid-json' | 'max-buffer-size-exceeded' | 'unexpected-shape';

/** Options of {@link StreamParseError}. */
export interface StreamParseErrorOptions extends ProviderErrorOptions {
  kind: StreamParseErrorKind;
  /** The offending line or payload, cut to a readable length. */
  line?: string;
}

/** Longest excerpt of the offending line an error keeps. */
const MAX_EXCERPT = 1000;

/**
 * A copy of `text` that shares no memory with the string it was cut from. A `slice`, or a
 * message built around one, may be a view into its source (V8's sliced and cons strings), which
 * would keep a 16 MiB stream buffer alive for as long as the error lives. A round trip through
 * UTF-16 bytes is exact for any code units, lone surrogates included.
 */
function detached(text: string): string {
  return Buffer.from(text, 'utf16le').toString('utf16le');
}

/** A streamed answer did not have the shape its protocol promises. */
export class StreamParseError extends ProviderError {
  static override readonly errorName: string = 'StreamParseError';
  readonly kind: StreamParseErrorKind;
  /** The offending line or payload (at most 1,000 characters, a copy). */
  readonly line: string | undefined;
  constructor(message: string, options: StreamParseErrorOptions) {
    super(detached(message), options);
    this.kind = options.kind;
    this.line =
      options.line === undefined ? undefined : detached(options.line.slice(0, MAX_EXCERPT));
  }
}
