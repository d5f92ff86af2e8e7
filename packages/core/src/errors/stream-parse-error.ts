import { ProviderError, type ProviderErrorOptions } from './provider-error.js';

/** Why a stream could not be parsed. */
export type StreamParseErrorKind = 'invalid-json' | 'max-buffer-size-exceeded' | 'unexpected-shape';

/** Options of {@link StreamParseError}. */
export interface StreamParseErrorOptions extends ProviderErrorOptions {
  kind: StreamParseErrorKind;
  /** The offending line or payload, cut to a readable length. */
  line?: string;
}

/** A streamed answer did not have the shape its protocol promises. */
export class StreamParseError extends ProviderError {
  static override readonly errorName: string = 'StreamParseError';
  readonly kind: StreamParseErrorKind;
  /** The offending line or payload (at most 1,000 characters). */
  readonly line: string | undefined;
  constructor(message: string, options: StreamParseErrorOptions) {
    super(message, options);
    this.kind = options.kind;
    this.line = options.line === undefined ? undefined : options.line.slice(0, 1000);
  }
}
