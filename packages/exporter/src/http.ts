import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { buildOpsHttp, type CheckResult } from '@insights/runtime';

/**
 * The exporter's HTTP surface: `/metrics` for Prometheus and `/health` for orchestrators.
 * `/health` answers 200 while the process serves, `degraded` when Redis does not answer: the
 * exporter's job then is to report `insights_exporter_up 0`, and restarting it would not help.
 */
export function buildExporterHttp(registry: Registry, checkRedis: () => Promise<CheckResult>): FastifyInstance {
  return buildOpsHttp({
    registry,
    health: async () => {
      const redis = await checkRedis();
      return { status: redis.status === 'healthy' ? 'healthy' : 'degraded', checks: { redis } };
    },
  });
}
