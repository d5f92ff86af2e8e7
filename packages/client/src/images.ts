import {
  httpRequest,
  type ImageResponse,
  raiseForStatus,
  UnexpectedResponseError,
} from '@g4f/core';

/** Options of {@link downloadBase64}. */
export interface DownloadOptions {
  /** Largest image accepted, in bytes. */
  maxBytes: number;
  signal?: AbortSignal;
  proxy?: string;
  timeout?: number;
}

/** Default {@link DownloadOptions.maxBytes}: 20 MiB. */
export const DEFAULT_MAX_IMAGE_BYTES = 20 * 1024 * 1024;

/** The `prompt` wrapped as g4f sends it to image providers. */
export function imageMessage(prompt: string) {
  return [{ role: 'user' as const, content: `Generate a image: ${prompt}` }];
}

/** Every URL of the images, with the alt text of the response it came from. */
export function imageUrls(images: readonly ImageResponse[]): { url: string; alt: string }[] {
  return images.flatMap((image) => image.urls.map((url) => ({ url, alt: image.alt })));
}

const DATA_URL = /^data:([^;,]+)(;base64)?,(.*)$/s;

/**
 * Fetches an image and returns it base64-encoded. The answer must be 2xx with an `image/*`
 * content type and at most `maxBytes` long; reading stops (and the socket closes) as soon
 * as it grows past that. `data:` URLs are decoded in place under the same checks.
 */
export async function downloadBase64(url: string, options: DownloadOptions): Promise<string> {
  const data = DATA_URL.exec(url);
  if (data) {
    const [, type = '', base64, payload = ''] = data;
    checkType(type, url);
    const bytes = base64
      ? Buffer.from(payload, 'base64')
      : Buffer.from(decodeURIComponent(payload));
    checkSize(bytes.length, options.maxBytes, 'data: URL');
    return bytes.toString('base64');
  }
  const response = await httpRequest(url, {
    signal: options.signal,
    proxy: options.proxy,
    timeout: options.timeout,
  });
  await raiseForStatus(response);
  const type = response.headers['content-type'] ?? '';
  if (!type.toLowerCase().startsWith('image/')) {
    await response.cancel();
    checkType(type, url);
  }
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > options.maxBytes) {
    await response.cancel();
    checkSize(declared, options.maxBytes, url);
  }
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const part of response.body) {
    total += part.length;
    // Leaving the loop by throwing closes the socket.
    checkSize(total, options.maxBytes, url);
    parts.push(part);
  }
  return Buffer.concat(parts).toString('base64');
}

function checkType(type: string, url: string): void {
  if (!type.toLowerCase().startsWith('image/')) {
    throw new UnexpectedResponseError(
      `Expected an image from ${url.slice(0, 100)}, got content type "${type || 'none'}"`,
    );
  }
}

function checkSize(bytes: number, maxBytes: number, where: string): void {
  if (bytes > maxBytes) {
    throw new UnexpectedResponseError(
      `The image from ${where.slice(0, 100)} is larger than ${maxBytes} bytes`,
    );
  }
}
