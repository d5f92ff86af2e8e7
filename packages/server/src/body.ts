import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error.js';

/** The request went away before its body was read. */
export class ClientGoneError extends Error {
  override readonly name = 'ClientGoneError';
}

const tooLarge = (limit: number) =>
  new HttpError(
    413,
    `Request body is larger than ${limit} bytes`,
    'invalid_request_error',
    'body_too_large',
  );

/**
 * Reads the body up to `limit` bytes and parses it as JSON. An announced or actual size over
 * the limit stops reading at once (413), so a 10 MB body never sits in memory.
 */
export function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const announced = Number(req.headers['content-length']);
  if (Number.isFinite(announced) && announced > limit) return Promise.reject(tooLarge(limit));
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onGone);
      req.off('close', onClose);
    };
    const onData = (part: Buffer) => {
      size += part.length;
      if (size > limit) {
        cleanup();
        req.pause();
        reject(tooLarge(limit));
        return;
      }
      parts.push(part);
    };
    const onEnd = () => {
      cleanup();
      const text = Buffer.concat(parts).toString('utf8');
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(
          new HttpError(
            400,
            'The request body is not valid JSON',
            'invalid_request_error',
            'invalid_json',
          ),
        );
      }
    };
    const onGone = () => {
      cleanup();
      reject(new ClientGoneError('The client closed the connection while sending its request'));
    };
    const onClose = () => {
      if (!req.complete) onGone();
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onGone);
    req.on('close', onClose);
  });
}
