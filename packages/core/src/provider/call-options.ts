import type { HttpRequestOptions } from '../http/http-request.js';
import type { CreateOptions, ProviderSettings } from './provider.js';

/**
 * The transport options of one call: the call's own `proxy`, `timeout` and `signal` first,
 * else the provider's settings; the settings' dispatcher always wins over a proxy URL.
 */
export function transportOptions(
  settings: ProviderSettings,
  call: Pick<CreateOptions, 'proxy' | 'signal' | 'timeout'>,
): Pick<HttpRequestOptions, 'proxy' | 'dispatcher' | 'signal' | 'timeout'> {
  return {
    proxy: call.proxy ?? settings.proxy,
    dispatcher: settings.dispatcher,
    signal: call.signal,
    timeout: call.timeout ?? settings.timeout,
  };
}

/** `base` without trailing slashes, then `path`: the upstream origin swapped for a replica's. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}

/** Cookies as one `Cookie` header value, `name=value; name2=value2` (g4f `format_cookies`). */
export function formatCookies(cookies: Readonly<Record<string, string>>): string {
  return Object.entries(cookies)
    .map(([name, value]) => `${name}=${value}`)
    .join('; ');
}

/**
 * The `Cookie` header for the given cookie sets, later sets overriding earlier ones by name:
 * `{ cookie }`, or `{}` when there are none, ready to spread into a header object.
 */
export function cookieHeader(
  ...sets: (Readonly<Record<string, string>> | undefined)[]
): Record<string, string> {
  const cookies: Record<string, string> = Object.assign({}, ...sets);
  return Object.keys(cookies).length > 0 ? { cookie: formatCookies(cookies) } : {};
}

/**
 * The name and value of each `Set-Cookie` line (attributes such as `Path` dropped), as a
 * browser would send them back; a later line for the same name wins.
 */
export function parseSetCookie(lines: readonly string[]): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const line of lines) {
    // Stryker disable next-line StringLiteral: split always gives one part; `?? ''` is for the type.
    const pair = line.split(';', 1)[0] ?? '';
    const equals = pair.indexOf('=');
    if (equals > 0) cookies[pair.slice(0, equals).trim()] = pair.slice(equals + 1).trim();
  }
  return cookies;
}
