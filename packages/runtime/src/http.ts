import Fastify, { type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { CheckResult } from './health.js';

/**
 * How a process reports its health on `/health`, and the HTTP status each answers with: 503 tells
 * an orchestrator or load balancer to send no new traffic (a dependency down, or a drain under
 * way); `degraded` still serves, so it answers 200.
 */
const HEALTH_HTTP_STATUS = {
  healthy: 200,
  degraded: 200,
  draining: 503,
  unhealthy: 503,
} as const;
export type HealthStatus = keyof typeof HEALTH_HTTP_STATUS;

/** What `/health` answers: the overall status and each check. */
export interface HealthAnswer {
  status: HealthStatus;
  checks: Record<string, CheckResult>;
}

/** What the operations routes serve: the registry `/metrics` exposes and, when given, the health `/health` reports. */
export interface OpsRoutes {
  registry: Registry;
  health?: () => Promise<HealthAnswer>;
}

/** Adds `GET /metrics` (the registry's exposition) and, with `health`, `GET /health` to an app. */
export function registerOpsRoutes(app: FastifyInstance, routes: OpsRoutes): void {
  const { registry, health } = routes;
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
  if (health) {
    app.get('/health', async (_request, reply) => {
      const answer = await health();
      reply.code(HEALTH_HTTP_STATUS[answer.status]);
      return answer;
    });
  }
}

/** The listener of a service's internal port: `/metrics` and, with `health`, `/health`; nothing else. */
export function buildOpsHttp(routes: OpsRoutes): FastifyInstance {
  const app = Fastify({ logger: false });
  registerOpsRoutes(app, routes);
  return app;
}

/** Whether every check passed. */
export function allHealthy(checks: Record<string, CheckResult>): boolean {
  return Object.values(checks).every((c) => c.status === 'healthy');
}
