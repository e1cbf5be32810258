import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { allHealthy, buildOpsHttp, type CheckResult } from '@insights/runtime';

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
  return buildOpsHttp({
    registry,
    health: async () => {
      const checks = await health.checks();
      return { status: health.draining() ? 'draining' : allHealthy(checks) ? 'healthy' : 'unhealthy', checks };
    },
  });
}
