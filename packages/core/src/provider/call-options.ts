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
