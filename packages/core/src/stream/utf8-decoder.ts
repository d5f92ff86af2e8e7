import { StringDecoder } from 'node:string_decoder';

/** Incremental UTF-8 decoding of a byte stream. */
export interface Utf8Decoder {
  /** Decodes a chunk; bytes of a character split at its end wait for the next chunk. */
  decode(chunk: Uint8Array): string;
  /** Ends the stream; an unfinished character becomes U+FFFD. */
  end(): string;
}

/** Drops a leading byte-order mark. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * A streaming UTF-8 decoder that drops a byte-order mark at the start of the stream, as
 * `TextDecoder` does. It is built on Node's native `StringDecoder`, which decodes about five
 * times faster than `TextDecoder` in `stream` mode on large chunks (see `pnpm bench`).
 */
export function createUtf8Decoder(): Utf8Decoder {
  const decoder = new StringDecoder('utf8');
  let started = false;
  const first = (text: string): string => {
    if (started || text.length === 0) return text;
    started = true;
    return stripBom(text);
  };
  return {
    decode: (chunk) => first(decoder.write(chunk as Buffer)),
    end: () => first(decoder.end()),
  };
}
