import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type pg from 'pg';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { API_REQUEST_DURATION_BUCKETS, METRICS } from '@insights/jobs';
import { buildOpsHttp } from '@insights/runtime';

/** The API's metrics, in a registry of their own (never prom-client's global one). */
export interface ApiMetrics {
  registry: Registry;
  /** Counts and times one answered request. */
  observe(method: string, endpoint: string, statusCode: number, seconds: number): void;
}

/** The `endpoint` label of a request: its route template, or `unmatched` — never the raw URL. */
export function endpointOf(request: FastifyRequest): string {
  return request.is404 ? 'unmatched' : (request.routeOptions.url ?? 'unmatched');
}

/**
 * `api_requests_total{method,endpoint,status_code}`, `api_request_duration_seconds{method,endpoint}`,
 * prom-client's process metrics, and `database_connections_active{pool_name}` read at scrape time.
 */
export function createApiMetrics(pools: Record<string, pg.Pool>): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: METRICS.apiRequestsTotal,
    help: 'API requests answered, by method, route template and status code',
    labelNames: ['method', 'endpoint', 'status_code'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: METRICS.apiRequestDurationSeconds,
    help: 'Time to answer an API request, by method and route template',
    labelNames: ['method', 'endpoint'],
    buckets: [...API_REQUEST_DURATION_BUCKETS],
    registers: [registry],
  });
  new Gauge({
    name: METRICS.databaseConnectionsActive,
    help: 'PostgreSQL connections checked out of the pool',
    labelNames: ['pool_name'],
    registers: [registry],
    collect() {
      for (const [name, pool] of Object.entries(pools)) this.set({ pool_name: name }, pool.totalCount - pool.idleCount);
    },
  });
  return {
    registry,
    observe(method, endpoint, statusCode, seconds) {
      requests.inc({ method, endpoint, status_code: String(statusCode) });
      duration.observe({ method, endpoint }, seconds);
    },
  };
}

/** The onResponse hook that feeds the request metrics. */
export function requestMetricsHook(metrics: ApiMetrics) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    metrics.observe(request.method, endpointOf(request), reply.statusCode, reply.elapsedTime / 1000);
  };
}

/** The internal metrics server: `GET /metrics` only, on its own port. */
export function buildMetricsServer(registry: Registry): FastifyInstance {
  return buildOpsHttp({ registry });
}
