/** A Cloudflare interstitial page as upstreams served it; carries g4f's detection markers. */
export const challengePage = `<!DOCTYPE html>
<html lang="en-US">
<head>
<title>Just a moment...</title>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
</head>
<body>
<div id="cf-please-wait"><p id="cf-spinner-please-wait">Checking your browser before accessing the site.</p></div>
</body>
</html>
`;

/** A generic HTML error page that is not a bot check. */
export const htmlErrorPage = `<!DOCTYPE html>
<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>
`;

/**
 * Cuts text into pieces of `size` UTF-8 bytes, so multi-byte characters land across piece
 * boundaries: what a client that decodes each chunk on its own gets wrong.
 */
export function utf8Pieces(text: string, size: number): Buffer[] {
  const bytes = Buffer.from(text, 'utf8');
  const pieces: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += size)
    pieces.push(bytes.subarray(offset, offset + size));
  return pieces;
}

/** True when some boundary between `pieces` falls inside a multi-byte character. */
export function splitsACharacter(pieces: readonly Uint8Array[]): boolean {
  return pieces.slice(1).some((piece) => piece.length > 0 && (piece[0]! & 0xc0) === 0x80);
}

/**
 * Cuts a sequence of `length` items at the given offsets (taken modulo `length + 1`, sorted,
 * repeats dropped), handing each span to `slice`.
 */
function splitAt<T>(
  length: number,
  cuts: readonly number[],
  slice: (from: number, to: number) => T,
): T[] {
  const points = [...new Set(cuts.map((c) => c % (length + 1)))].sort((a, b) => a - b);
  const parts: T[] = [];
  let start = 0;
  for (const point of [...points, length]) {
    parts.push(slice(start, point));
    start = point;
  }
  return parts;
}

/**
 * Cuts `bytes` at the given offsets (taken modulo `length + 1`, sorted, repeats dropped), so a
 * property test can feed a parser every possible split of the same input.
 */
export function splitBytes(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  return splitAt(bytes.length, cuts, (from, to) => bytes.subarray(from, to));
}

/**
 * Cuts `text` at the given UTF-16 offsets, by the same rule as {@link splitBytes}, for code
 * that is fed strings (a stop-string cutter, text parts of a prompt).
 */
export function splitText(text: string, cuts: readonly number[]): string[] {
  return splitAt(text.length, cuts, (from, to) => text.slice(from, to));
}
