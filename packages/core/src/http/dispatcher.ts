import { Agent, type Dispatcher, ProxyAgent } from 'undici';

// undici's own connect timeout (10 s) applies: long enough for a slow TLS handshake, short
// enough to notice.
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
      agent = new ProxyAgent(options.proxy);
      proxyAgents.set(options.proxy, agent);
    }
    return agent;
  }
  defaultAgent ??= new Agent();
  return defaultAgent;
}
