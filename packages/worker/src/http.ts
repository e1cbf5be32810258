import Fastify, { type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';

/** One health check: healthy or not, with why. */
export interface CheckResult {
  status: 'healthy' | 'unhealthy';
  message: string;
  duration_ms: number;
}

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

/** Runs a check with a timeout, timing it. */
export async function timedCheck(name: string, timeoutMs: number, check: () => Promise<unknown>): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${name} did not answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { status: 'healthy', message: `${name} answered`, duration_ms: performance.now() - started };
  } catch (error) {
    return { status: 'unhealthy', message: (error as Error).message, duration_ms: performance.now() - started };
  } finally {
    clearTimeout(timer);
  }
}
