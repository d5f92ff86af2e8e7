import { isAscii, isUtf8, transcode } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';
import { TextDecoder } from 'node:util';

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
 * Chunks at least this long that hold non-ASCII bytes go to `TextDecoder`; below it the
 * per-call cost of `TextDecoder` outweighs its faster multi-byte decoding (see `pnpm bench`).
 */
const WHATWG_MIN_CHUNK = 1024;

// Stryker disable all: which decoder runs changes only the speed, never the text (tested).
function prefersWhatwg(chunk: Uint8Array): boolean {
  return chunk.length >= WHATWG_MIN_CHUNK && !isAscii(chunk);
}
// Stryker restore all

/**
 * Spans shorter than this go straight to V8's decoder, which is fastest on short text. Longer
 * ones are checked for ASCII first, which is copied byte for byte.
 */
const SHORT_SPAN = 64;

/**
 * Non-ASCII spans at least this long are transcoded; below it the fixed cost of a transcode
 * (about half a microsecond) outweighs its speed (see `pnpm bench`).
 */
const TRANSCODE_MIN_SPAN = 1024;

/**
 * From Node 24 on, `Buffer#utf8Slice` decodes CJK text at 1.5 to 3 GB/s, as fast as ICU's
 * `TextDecoder` and faster than `transcode`, and ASCII as fast as a check for ASCII and
 * `latin1Slice`, at every span length (`bench/utf8-decode.bench.ts`). Before Node 24 it
 * decoded CJK at about 0.4 GB/s.
 */
// Stryker disable next-line all: which decoder runs changes only the speed (see decodeSpan).
const FAST_UTF8_SLICE = Number(process.versions.node.split('.')[0]) >= 24;

const utf8Slice = Buffer.prototype.utf8Slice;
const latin1Slice = Buffer.prototype.latin1Slice;
const ucs2Slice = Buffer.prototype.ucs2Slice;

/**
 * ICU's decoder, faster than V8's on multi-byte text of moderate length. Only ever given whole
 * spans, so it holds nothing between calls and one serves every stream; stream mode only keeps
 * Node's slower non-streaming path away. Made on first use.
 */
let icu: TextDecoder | undefined;

function icuDecode(span: Uint8Array): string {
  icu ??= new TextDecoder('utf-8', { ignoreBOM: true });
  // Stryker disable next-line ObjectLiteral,BooleanLiteral: a whole span decodes alike in both modes.
  return icu.decode(span, { stream: true });
}

/**
 * Decodes `bytes[start, end)`, which starts and ends where no character is split (after an
 * ASCII byte, say), in one call; every path follows the WHATWG replacement rules for invalid
 * bytes, so the path only changes the speed (the conditions' mutants are equivalent). Valid
 * UTF-8 of some length is transcoded to UTF-16 (simdutf in Node: two to three times faster on
 * CJK text than a streaming decoder) and copied into a string; invalid bytes, which `transcode`
 * refuses, go to V8's decoder.
 */
export function decodeSpan(bytes: Uint8Array, start: number, end: number): string {
  const length = end - start;
  // Stryker disable next-line all: see above.
  if (length < SHORT_SPAN || FAST_UTF8_SLICE) return utf8Slice.call(bytes, start, end);
  const span = bytes.subarray(start, end);
  // Stryker disable next-line ConditionalExpression: see above.
  if (isAscii(span)) return latin1Slice.call(span, 0, length);
  // Stryker disable next-line ConditionalExpression,EqualityOperator: see above.
  if (length < TRANSCODE_MIN_SPAN) return icuDecode(span);
  // Stryker disable next-line ConditionalExpression,BooleanLiteral: see above.
  if (!isUtf8(span)) return utf8Slice.call(span, 0, length);
  // Stryker disable next-line StringLiteral: Node reads an empty source encoding as UTF-8.
  const utf16 = transcode(span, 'utf8', 'utf16le');
  return ucs2Slice.call(utf16, 0, utf16.length);
}

/**
 * A streaming UTF-8 decoder that keeps a BOM, for a caller that drops it where its stream
 * starts. From Node 24 on it is `TextDecoder`: Node's `StringDecoder` then decodes CJK text at
 * about 0.4 GB/s against its 1 to 3 GB/s, and ASCII no faster (`bench/utf8-decode.bench.ts`).
 * Before, it picks per chunk between the two (see {@link HybridUtf8Decoder}).
 */
export function createBomKeepingUtf8Decoder(): Utf8Decoder {
  // Runs only under Node 24, where the release check runs these tests again.
  // Stryker disable all: see above.
  if (FAST_UTF8_SLICE) {
    const whatwg = new TextDecoder('utf-8', { ignoreBOM: true });
    return {
      decode: (bytes) => whatwg.decode(bytes, { stream: true }),
      end: () => whatwg.decode(),
    };
  }
  // Stryker restore all
  return new HybridUtf8Decoder(false);
}

/**
 * Two native decoders, each used where it is faster: Node's `StringDecoder` decodes ASCII
 * about five times faster than `TextDecoder`, which in turn decodes CJK and other multi-byte
 * text about 1.7 times faster on large chunks. Both follow the WHATWG replacement rules, so
 * which one decodes a chunk never changes the text. The choice may only change where neither
 * holds part of a character: after a chunk whose last byte is ASCII.
 */
class HybridUtf8Decoder implements Utf8Decoder {
  private readonly native = new StringDecoder();
  private whatwg: TextDecoder | undefined;
  private useWhatwg = false;
  /** The last byte fed was ASCII, so no decoder holds part of a character. */
  // Stryker disable next-line BooleanLiteral: starting unsettled only keeps StringDecoder longer.
  private settled = true;
  private started = false;

  /** @param dropBom Drop a BOM at the start of the stream, as `TextDecoder` does. */
  constructor(private readonly dropBom = true) {}

  decode(chunk: Uint8Array): string {
    // Never switching only costs speed (so `false` is equivalent); switching mid-character is
    // the bug the tests catch (`true`, `<=`).
    // Stryker disable next-line ConditionalExpression: see above.
    if (this.settled) this.useWhatwg = prefersWhatwg(chunk);
    // An empty chunk reads as unsettled (undefined < 0x80 is false): the decoder stays as is.
    // Stryker disable next-line ConditionalExpression,ArithmeticOperator: never settling only costs speed.
    this.settled = chunk[chunk.length - 1]! < 0x80;
    let text: string;
    if (this.useWhatwg) {
      this.whatwg ??= new TextDecoder('utf-8', { ignoreBOM: true });
      text = this.whatwg.decode(chunk, { stream: true });
    } else {
      text = this.native.write(chunk as Buffer);
    }
    return this.started || !this.dropBom ? text : this.first(text);
  }

  // What is left at the end is at most one unfinished character, U+FFFD: never a BOM.
  end(): string {
    return this.useWhatwg ? this.whatwg!.decode() : this.native.end();
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
 * `TextDecoder` does, and turns invalid bytes into U+FFFD. It picks per chunk the faster of
 * Node's two native decoders (see {@link HybridUtf8Decoder}).
 */
export function createUtf8Decoder(): Utf8Decoder {
  return new HybridUtf8Decoder();
}
