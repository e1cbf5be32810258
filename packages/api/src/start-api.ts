import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { closeRedis, connectRedis, Scope } from '@insights/runtime';
import { createPool, Store } from '@insights/store';
import { mountQueueView } from './admin.js';
import { buildApp } from './app.js';
import { AuditTrail } from './audit.js';
import type { ApiConfig } from './config.js';
import { buildMetricsServer, createApiMetrics } from './metrics.js';

/** A running API process's parts, and how to stop them. */
export interface RunningApi {
  /** Port the API listens on. */
  port: number;
  /** Port of /metrics. */
  metricsPort: number;
  app: FastifyInstance;
  /** Stops taking requests, finishes those in flight, writes the audit log and closes every connection. */
  stop(): Promise<void>;
}

/** Loggers of the API: the service's, and the audit log's own. */
export interface ApiLoggers {
  log: Logger;
  audit: Logger;
}

function portOf(app: FastifyInstance, fallback: number): number {
  const address = app.server.address();
  return typeof address === 'object' && address ? address.port : fallback;
}

/**
 * Starts the API: brings the PostgreSQL schema up to date (as the worker does: safe with many
 * replicas, so the fleet may start in any order), connects to Redis, and listens on
 * INSIGHTS_API_PORT, with /metrics on INSIGHTS_METRICS_PORT — and there too, when
 * INSIGHTS_ADMIN_TOKEN is set, the operators' queue view under /admin/queues.
 */
export async function startApi(config: ApiConfig, loggers: ApiLoggers): Promise<RunningApi> {
  const { log } = loggers;
  const scope = new Scope({ onCloseFailure: ({ name, error }) => log.warn({ part: name, err: error }, 'a part failed to close') });
  const db = scope.add(
    'database pool',
    createPool(config.DATABASE_URL, {
      max: config.DATABASE_POOL_MAX,
      applicationName: 'insights-api',
      onError: (err) => log.warn({ err }, 'idle database connection failed'),
    }),
    (pool) => pool.end(),
  );
  // A finite retry count: while Redis is down, requests fail fast with 503 instead of hanging.
  const redis = scope.add(
    'redis',
    connectRedis(config.REDIS_URL, config.REDIS_CLUSTER, { maxRetriesPerRequest: 1, connectionName: 'insights-api' }),
    (client) => closeRedis(client),
  );
  redis.on('error', (err) => log.warn({ err: { message: err.message } }, 'redis connection error'));
  const store = new Store(db, config.DATABASE_SCHEMA);
  let draining = false;
  const { app, metricsServer } = await scope.closeAfter(async () => {
    await store.migrate();
    const metrics = createApiMetrics({ api: db });
    const metricsServer = buildMetricsServer(metrics.registry);
    if (config.INSIGHTS_ADMIN_TOKEN !== undefined) {
      const queueView = await mountQueueView(metricsServer, {
        token: config.INSIGHTS_ADMIN_TOKEN,
        write: config.INSIGHTS_ADMIN_WRITE,
        redis,
        prefix: config.QUEUE_PREFIX,
        log,
      });
      scope.add('queue view', queueView, (view) => view.close());
    }
    scope.add('metrics server', metricsServer, (server) => server.close());
    // The trail gives up on its own after 5 s (its entries are in the audit log lines already),
    // which is a normal end: the scope's bound sits above it so that giving up is not a failure.
    const audit = scope.add('audit trail', new AuditTrail(store, loggers.audit, log), (trail) => trail.close(5_000), { timeoutMs: 7_000 });
    const app = scope.add('http', buildApp({ config, log, db, redis, audit, metrics, draining: () => draining }), (server) => server.close(), {
      // Requests in flight may finish within the orchestrator's grace period (30 s, after a 5 s preStop pause).
      timeoutMs: 20_000,
    });
    await app.listen({ port: config.INSIGHTS_API_PORT, host: config.INSIGHTS_API_HOST });
    await metricsServer.listen({ port: config.INSIGHTS_METRICS_PORT, host: config.INSIGHTS_METRICS_HOST });
    return { app, metricsServer };
  });
  const running: RunningApi = {
    port: portOf(app, config.INSIGHTS_API_PORT),
    metricsPort: portOf(metricsServer, config.INSIGHTS_METRICS_PORT),
    app,
    async stop() {
      // Readiness answers 503 from here on; the orchestrator stops routing here (k8s: the preStop
      // pause in infra/k8s/api.yaml gives it the time) while requests in flight finish.
      draining = true;
      await scope.close();
      log.info('api stopped');
    },
  };
  log.info({ port: running.port, metrics_port: running.metricsPort, schema: config.DATABASE_SCHEMA, prefix: config.QUEUE_PREFIX }, 'api ready');
  return running;
}
