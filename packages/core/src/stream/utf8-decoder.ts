import { isAscii, isUtf8, transcode } from 'node:buffer';
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
 * Spans shorter than this go straight to V8's decoder, which is fastest on short text. Longer
 * ones are checked for ASCII first, which is copied byte for byte.
 */
const SHORT_SPAN = 64;

/**
 * Non-ASCII spans at least this long are transcoded; below it the fixed cost of a transcode
 * (about half a microsecond) outweighs its speed (see `pnpm bench`).
 */
const BULK_MIN_CHUNK = 1024;

const utf8Slice = Buffer.prototype.utf8Slice;
const latin1Slice = Buffer.prototype.latin1Slice;
const ucs2Slice = Buffer.prototype.ucs2Slice;

/**
 * ICU's decoder, faster than V8's on multi-byte text of moderate length. Only ever given whole
 * spans, so it holds nothing between calls and one serves every stream; stream mode only keeps
 * Node's slower non-streaming path away.
 */
const icu = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Decodes `bytes[start, end)`, which starts and ends where no character is split (after an
 * ASCII byte, say), in one call; every path follows the WHATWG replacement rules for invalid
 * bytes, so the path only changes the speed. Valid UTF-8 of some length is transcoded to UTF-16
 * (simdutf in Node: two to three times faster on CJK text than a streaming decoder) and copied
 * into a string; invalid bytes, which `transcode` refuses, go to V8's decoder.
 */
export function decodeSpan(bytes: Uint8Array, start: number, end: number): string {
  const length = end - start;
  // Stryker disable next-line all: see above.
  if (length < SHORT_SPAN) return utf8Slice.call(bytes, start, end);
  const span = bytes.subarray(start, end);
  if (isAscii(span)) return latin1Slice.call(span, 0, length);
  // Stryker disable next-line all: see above.
  if (length < BULK_MIN_CHUNK) return icu.decode(span, { stream: true });
  if (!isUtf8(span)) return utf8Slice.call(span, 0, length);
  const utf16 = transcode(span, 'utf8', 'utf16le');
  return ucs2Slice.call(utf16, 0, utf16.length);
}

/**
 * A streaming decoder (Node's `StringDecoder`, fast on the short chunks of a token stream) with
 * a bulk path for long chunks of non-ASCII text: the chunk is cut after its first and last
 * ASCII bytes, where no character can be split and where the WHATWG decoder ends any invalid
 * sequence, so the middle decodes on its own in one call and only the ends pass through the
 * streaming decoder. Every path follows the WHATWG replacement rules, so the text never depends
 * on the chunking.
 */
class BulkUtf8Decoder implements Utf8Decoder {
  private readonly native = new StringDecoder();
  /** The last byte fed was ASCII, so the streaming decoder holds no part of a character. */
  private settled = true;
  private started = false;

  decode(chunk: Uint8Array): string {
    const n = chunk.length;
    let text: string;
    if (n >= BULK_MIN_CHUNK && !isAscii(chunk)) {
      text = this.bulk(chunk);
    } else {
      text = this.native.write(chunk as Buffer);
      // An empty chunk reads as unsettled (undefined < 0x80 is false), which only means the
      // next long chunk starts its head with the streaming decoder.
      this.settled = chunk[n - 1]! < 0x80;
    }
    return this.started ? text : this.first(text);
  }

  // What is left at the end is at most one unfinished character, U+FFFD: never a BOM.
  end(): string {
    return this.native.end();
  }

  private bulk(chunk: Uint8Array): string {
    let last = chunk.length - 1;
    while (last >= 0 && chunk[last]! >= 0x80) last--;
    if (last < 0) {
      // No ASCII byte to cut at: the whole chunk streams.
      this.settled = false;
      return this.native.write(chunk as Buffer);
    }
    let text = '';
    let from = 0;
    if (!this.settled) {
      // Through the first ASCII byte, which ends the character the streaming decoder holds.
      while (chunk[from]! >= 0x80) from++;
      from++;
      text = this.native.write(chunk.subarray(0, from) as Buffer);
    }
    text += decodeSpan(chunk, from, last + 1);
    this.settled = last === chunk.length - 1;
    return text + this.native.write(chunk.subarray(last + 1) as Buffer);
  }

  // A BOM is dropped once, from the first text of the stream, as `TextDecoder` does.
  private first(text: string): string {
    if (text.length === 0) return text;
    this.started = true;
    return stripBom(text);
  }
}

/**
 * A streaming UTF-8 decoder that drops a byte-order mark at the start of the stream, as
 * `TextDecoder` does, and turns invalid bytes into U+FFFD. Long chunks of non-ASCII text are
 * decoded in bulk (see {@link BulkUtf8Decoder}).
 */
export function createUtf8Decoder(): Utf8Decoder {
  return new BulkUtf8Decoder();
}
