export {
  type ConformanceOptions,
  chunksBeforeFailure,
  failureOf,
  runProviderConformance,
} from './conformance.js';
export {
  createForwardProxy,
  type ForwardProxy,
  type ForwardProxyOptions,
} from './forward-proxy.js';
