import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** The key a request presents: `Authorization: Bearer <key>` or g4f's `g4f-api-key` header. */
export function presentedKey(headers: IncomingHttpHeaders): string | undefined {
  const g4f = headers['g4f-api-key'];
  if (typeof g4f === 'string' && g4f) return g4f;
  const authorization = headers.authorization;
  if (typeof authorization !== 'string') return undefined;
  const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
  return match?.[1];
}

/**
 * A check of the presented key against the configured one. Both sides are hashed first so the
 * comparison takes the same time whatever the length or content of the guess.
 */
export function createKeyCheck(apiKey: string): (presented: string | undefined) => boolean {
  const expected = digest(apiKey);
  return (presented) => {
    const given = digest(presented ?? '');
    // Compare even when nothing was presented, so a missing key costs the same as a wrong one.
    return timingSafeEqual(given, expected) && presented !== undefined;
  };
}
