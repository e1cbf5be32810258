import Fastify, { type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

/** What /health says about Redis. */
export interface RedisCheck {
  status: 'healthy' | 'unhealthy';
  message: string;
  duration_ms: number;
}

/**
 * The exporter's HTTP surface: `/metrics` for Prometheus and `/health` for orchestrators.
 * `/health` answers 200 while the process serves, `degraded` when Redis does not answer: the
 * exporter's job then is to report `insights_exporter_up 0`, and restarting it would not help.
 */
export function buildExporterHttp(registry: Registry, checkRedis: () => Promise<RedisCheck>): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
  app.get('/health', async () => {
    const redis = await checkRedis();
    return { status: redis.status === 'healthy' ? 'healthy' : 'degraded', checks: { redis } };
  });
  return app;
}

/** Pings Redis with a timeout, timing it. */
export async function pingRedis(ping: () => Promise<unknown>, timeoutMs: number): Promise<RedisCheck> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`redis did not answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { status: 'healthy', message: 'redis answered', duration_ms: performance.now() - started };
  } catch (error) {
    return { status: 'unhealthy', message: (error as Error).message, duration_ms: performance.now() - started };
  } finally {
    clearTimeout(timer);
  }
}
