import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { createPool, Store } from '@insights/store';
import { IncidentStore } from '@insights/store/incidents';
import type { ResponderConfig } from './config.js';
import { closeRedis, connectRedis, Scope, timedCheck } from '@insights/runtime';
import { buildResponderHttp } from './http.js';
import { createResponderMetrics } from './metrics.js';
import { slackNotifier, type Notifier } from './notify.js';
import { createQueueControl } from './queues.js';
import { createResponder, type Responder } from './responder.js';

/** What a caller (a test) may put in place of the defaults. */
export interface StartOptions {
  /** The time now (default: the wall clock). */
  clock?: () => Date;
  /** Posts summaries (default: to RESPONDER_SLACK_WEBHOOK_URL when set). */
  notifier?: Notifier;
}

/** A running responder, and how to stop it. */
export interface RunningResponder {
  /** Where the server listens. */
  port: number;
  /** The Fastify app, for `inject()`. */
  app: FastifyInstance;
  responder: Responder;
  /** Stops the periodic check, waits for the webhook in progress, closes the server, Redis and the pool. */
  stop(): Promise<void>;
}

/**
 * Starts the responder: the PostgreSQL schema brought up to date, the queues on Redis, the
 * periodic escalation check and the HTTP server.
 */
export async function startResponder(config: ResponderConfig, log: Logger, options: StartOptions = {}): Promise<RunningResponder> {
  const scope = new Scope({ onCloseFailure: ({ name, error }) => log.warn({ part: name, err: error }, 'a part failed to close') });
  const db = scope.add(
    'database pool',
    createPool(config.DATABASE_URL, { max: 4, applicationName: 'insights-responder', onError: (err) => log.warn({ err }, 'idle database connection failed') }),
    (pool) => pool.end(),
  );
  await scope.closeAfter(() => new Store(db, config.DATABASE_SCHEMA).migrate());
  // Commands fail after a while instead of waiting for Redis to come back, so that a webhook is
  // answered (with an error Alertmanager retries).
  // Closed after the queues (which quit it themselves): dropped then if Redis never answered the QUIT.
  const redis = scope.add(
    'redis',
    connectRedis(config.REDIS_URL, config.REDIS_CLUSTER, { maxRetriesPerRequest: 2, connectionName: 'insights-responder' }),
    (client) => closeRedis(client),
  );
  redis.on('error', (err: Error) => log.debug({ err }, 'redis connection error'));
  const queues = scope.add('queues', createQueueControl(redis, config.QUEUE_PREFIX), (control) => control.close());
  const metrics = createResponderMetrics();
  const url = config.RESPONDER_SLACK_WEBHOOK_URL;
  const responder = createResponder({
    incidents: new IncidentStore(db, config.DATABASE_SCHEMA),
    queues,
    notifier: options.notifier ?? (url ? slackNotifier(url) : undefined),
    settings: { snapshotIntervalMs: config.RESPONDER_SNAPSHOT_INTERVAL, notifyIntervalMs: config.RESPONDER_NOTIFY_INTERVAL, dryRun: config.RESPONDER_DRY_RUN },
    policy: { pauseOn: config.RESPONDER_PAUSE_ON },
    escalateAfterMs: config.RESPONDER_ESCALATE_AFTER,
    staleAfterMs: config.RESPONDER_STALE_AFTER,
    maxPauseMs: config.RESPONDER_MAX_PAUSE,
    clock: options.clock,
    log,
    metrics,
  });

  const app = buildResponderHttp({
    secret: config.RESPONDER_SECRET,
    handle: (webhook) => responder.handle(webhook),
    registry: metrics.registry,
    checks: async () => ({
      redis: await timedCheck('redis', 3_000, () => queues.ping()),
      database: await timedCheck('database', 5_000, () => db.query('SELECT 1')),
    }),
    onError: (err, requestId) => log.error({ err, request_id: requestId }, 'could not handle a webhook'),
  });
  scope.add('http', app, (server) => server.close());
  await scope.closeAfter(() => app.listen({ port: config.RESPONDER_PORT, host: config.RESPONDER_HOST }));
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.RESPONDER_PORT;

  let checking: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    checking = responder.check().catch((err: unknown) => log.warn({ err }, 'periodic check failed'));
  }, config.RESPONDER_CHECK_INTERVAL);
  timer.unref();
  scope.defer('periodic check', async () => {
    clearInterval(timer);
    await checking;
  });

  log.info(
    {
      port,
      dry_run: config.RESPONDER_DRY_RUN,
      pause_on: config.RESPONDER_PAUSE_ON,
      notify: url !== undefined || options.notifier !== undefined,
      escalate_after_ms: config.RESPONDER_ESCALATE_AFTER,
      stale_after_ms: config.RESPONDER_STALE_AFTER,
      max_pause_ms: config.RESPONDER_MAX_PAUSE,
    },
    'responder ready',
  );
  return {
    port,
    app,
    responder,
    async stop() {
      await scope.close();
      log.info('responder stopped');
    },
  };
}
