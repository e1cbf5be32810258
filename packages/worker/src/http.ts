import Fastify, { type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { CheckResult } from '@insights/runtime';

/** What /health reports. */
export interface HealthSource {
  draining(): boolean;
  checks(): Promise<Record<string, CheckResult>>;
}

/**
 * The worker's HTTP surface: `/metrics` for Prometheus and `/health` for orchestrators (503 when
 * a dependency is down or the worker is draining, so no new traffic is sent its way).
 */
export function buildWorkerHttp(registry: Registry, health: HealthSource): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
  app.get('/health', async (_request, reply) => {
    const checks = await health.checks();
    const healthy = Object.values(checks).every((c) => c.status === 'healthy');
    const status = health.draining() ? 'draining' : healthy ? 'healthy' : 'unhealthy';
    reply.code(status === 'healthy' ? 200 : 503);
    return { status, checks };
  });
  return app;
}
