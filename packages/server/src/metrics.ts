import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The server's Prometheus metrics, in a registry of its own (two servers never collide). */
export interface ServerMetrics {
  readonly registry: Registry;
  readonly requests: Counter<'method' | 'route' | 'status'>;
  readonly errors: Counter<'class' | 'status'>;
  readonly openStreams: Gauge;
  readonly upstreamLatency: Histogram<'provider' | 'kind'>;
}

/** Creates the metrics: requests, errors by class, open streams, upstream latency per provider. */
export function createMetrics(): ServerMetrics {
  const registry = new Registry();
  return {
    registry,
    requests: new Counter({
      name: 'g4f_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    errors: new Counter({
      name: 'g4f_errors_total',
      help: 'Failed requests by error class and the status sent',
      labelNames: ['class', 'status'],
      registers: [registry],
    }),
    openStreams: new Gauge({
      name: 'g4f_open_streams',
      help: 'Streaming answers in progress',
      registers: [registry],
    }),
    upstreamLatency: new Histogram({
      name: 'g4f_upstream_latency_seconds',
      help: 'Time until the provider gave the first chunk (stream) or the whole answer',
      labelNames: ['provider', 'kind'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    }),
  };
}
