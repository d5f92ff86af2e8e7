// `pnpm bench` in core: the native ways to turn a span of UTF-8 bytes that splits no character
// into a string, by span length, on ASCII and on CJK text. `decodeSpan` picks among them by
// these figures, which differ a lot between Node versions (run it under each).
import { isAscii, transcode } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';

const texts = {
  ASCII: 'data: {"choices":[{"delta":{"content":"hello"}}]}\n\n',
  CJK: 'data: {"choices":[{"delta":{"content":"你好，世界。这是一个流式回答的测试文本"}}]}\n\n',
};

type Decode = (span: Buffer) => string | boolean;
const { utf8Slice, latin1Slice, ucs2Slice } = Buffer.prototype;
const icu = new TextDecoder('utf-8', { ignoreBOM: true });
const whole = new TextDecoder('utf-8', { ignoreBOM: true });
const streaming = new StringDecoder('utf8');
const ways: Record<string, Decode> = {
  utf8Slice: (s) => utf8Slice.call(s, 0, s.length),
  'latin1Slice (ASCII)': (s) => latin1Slice.call(s, 0, s.length),
  'isAscii (check)': (s) => isAscii(s),
  'TextDecoder stream': (s) => icu.decode(s, { stream: true }),
  TextDecoder: (s) => whole.decode(s),
  'transcode+ucs2Slice': (s) => {
    const utf16 = transcode(s, 'utf8', 'utf16le');
    return ucs2Slice.call(utf16, 0, utf16.length);
  },
  StringDecoder: (s) => streaming.write(s),
};

/** MB/s of `decode` on `span`, best of five runs of about 20 ms each. */
function throughput(decode: Decode, span: Buffer): number {
  const calls = Math.max(1, Math.round(4_000_000 / span.length));
  for (let i = 0; i < calls; i++) decode(span);
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 5; round++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) decode(span);
    best = Math.min(best, Number(process.hrtime.bigint() - started) / calls);
  }
  return (span.length / best) * 1000;
}

console.log(`\nUTF-8 span decoding, MB/s (Node ${process.version})`);
const names = Object.keys(ways);
console.log(`${'text  bytes'.padEnd(12)}${names.map((n) => n.padStart(21)).join('')}`);
for (const [label, unit] of Object.entries(texts)) {
  const source = Buffer.from(unit.repeat(400));
  for (const target of [256, 1024, 4096, 16_384]) {
    // Cut after a line end, so the span splits no character.
    const span = source.subarray(0, source.subarray(0, target).lastIndexOf(10) + 1);
    // latin1Slice decodes ASCII only; on CJK it would time a wrong answer.
    const row = names.map((n) =>
      (n.startsWith('latin1') && label !== 'ASCII'
        ? '-'
        : throughput(ways[n]!, span).toFixed(0)
      ).padStart(21),
    );
    console.log(`${label.padEnd(6)}${String(span.length).padStart(6)}${row.join('')}`);
  }
}
