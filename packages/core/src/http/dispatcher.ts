import { Agent, type Dispatcher, ProxyAgent } from 'undici';

/** Default connect timeout: long enough for a slow TLS handshake, short enough to notice. */
export const DEFAULT_CONNECT_TIMEOUT = 10_000;

let defaultAgent: Agent | undefined;
const proxyAgents = new Map<string, ProxyAgent>();

/**
 * The dispatcher a request should use: the caller's own, else a shared `ProxyAgent` per proxy
 * URL, else one shared `Agent`. Sharing keeps connections alive across calls.
 */
export function getDispatcher(
  options: { dispatcher?: Dispatcher; proxy?: string } = {},
): Dispatcher {
  if (options.dispatcher) return options.dispatcher;
  if (options.proxy) {
    let agent = proxyAgents.get(options.proxy);
    if (!agent) {
      agent = new ProxyAgent({ uri: options.proxy, connect: { timeout: DEFAULT_CONNECT_TIMEOUT } });
      proxyAgents.set(options.proxy, agent);
    }
    return agent;
  }
  defaultAgent ??= new Agent({ connect: { timeout: DEFAULT_CONNECT_TIMEOUT } });
  return defaultAgent;
}
