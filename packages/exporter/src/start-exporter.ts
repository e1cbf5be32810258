import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import type { ExporterConfig } from './config.js';
import { buildExporterHttp } from './http.js';
import { listenToJobEvents, type JobEventListeners } from './job-events.js';
import { createExporterMetrics } from './metrics.js';
import { defineQueueStateCommand, readQueueStates } from './queue-state.js';
import { closeRedis, connectRedis, Scope, timedCheck, type RedisClient } from '@insights/runtime';
import { createSnapshotSource } from './snapshot.js';

/** A running exporter, and how to stop it. */
export interface RunningExporter {
  /** Where /metrics and /health listen. */
  port: number;
  /** Resolves once the queue event listeners run (after Redis first answers). */
  listening: Promise<void>;
  /** Closes the HTTP server, the event listeners and the Redis connections, each within a bounded time. */
  stop(): Promise<void>;
}

/** Logs a connection going away and coming back, once each, instead of every reconnect attempt. */
function watchConnection(redis: RedisClient, log: Logger): void {
  let down = false;
  redis.on('ready', () => {
    down = false;
    log.info('redis connected');
  });
  redis.on('error', (err: Error) => {
    if (!down) log.warn({ err }, 'redis unreachable; scrapes report insights_exporter_up 0 until it is back');
    down = true;
  });
}

/** Resolves on the connection's next 'ready' (its 'error' events are reconnect attempts, not a failure); rejects on abort. */
function untilReady(redis: RedisClient, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      redis.off('ready', onReady);
      reject(signal.reason);
    };
    const onReady = () => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    };
    redis.once('ready', onReady);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Starts the exporter: /metrics and /health at once (a scrape while Redis is down answers with
 * `insights_exporter_up 0`), and the queue event listeners as soon as Redis answers.
 */
export async function startExporter(config: ExporterConfig, log: Logger): Promise<RunningExporter> {
  const queues = config.INSIGHTS_EXPORTER_QUEUES;
  const prefix = config.QUEUE_PREFIX;
  const timeoutMs = config.INSIGHTS_EXPORTER_SCRAPE_TIMEOUT_MS;
  const scope = new Scope({ onCloseFailure: ({ name, error }) => log.warn({ part: name, err: error }, 'a part failed to close') });
  // Scrapes and lookups fail at once while Redis is away, rather than queue up behind it.
  const redis = scope.add(
    'redis',
    connectRedis(config.REDIS_URL, config.REDIS_CLUSTER, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: timeoutMs,
      connectionName: `${prefix}:exporter`,
    }),
    (client) => closeRedis(client),
  );
  // QueueEvents duplicates this one for its blocking reads, which must wait through an outage.
  const eventConnection = scope.add('event connection', connectRedis(config.REDIS_URL, config.REDIS_CLUSTER, { maxRetriesPerRequest: null }), (client) =>
    closeRedis(client),
  );
  watchConnection(redis, log);
  // Its outages are the scrape connection's too, which logs them; QueueEvents reconnects on its own.
  eventConnection.on('error', () => undefined);
  defineQueueStateCommand(redis);

  const snapshot = createSnapshotSource({
    read: () => readQueueStates(redis, prefix, queues),
    timeoutMs,
    onError: (err) => log.debug({ err }, 'scrape could not read the queues'),
  });
  const { registry, jobs } = createExporterMetrics({ queues, maxOrganizations: config.INSIGHTS_EXPORTER_MAX_ORGS, snapshot });

  const stopping = new AbortController();
  let events: JobEventListeners | undefined;
  const listen = async (): Promise<void> => {
    for (;;) {
      if (redis.status !== 'ready') await untilReady(redis, stopping.signal);
      try {
        events = await listenToJobEvents({ connection: eventConnection, lookup: redis, prefix, queues, metrics: jobs, log });
        await events.ready();
        log.info({ queues }, 'listening to queue events');
        return;
      } catch (err) {
        if (stopping.signal.aborted) return;
        log.warn({ err }, 'could not start listening to queue events; trying again');
        await events?.close().catch(() => undefined);
        events = undefined;
        await delay(1000, undefined, { signal: stopping.signal });
      }
    }
  };
  const listening = listen().catch((err: unknown) => {
    if (!stopping.signal.aborted) log.error({ err }, 'could not listen to queue events');
  });
  scope.defer('queue events', async () => {
    stopping.abort();
    await listening;
    await events?.close();
  });

  const http = scope.add(
    'http',
    buildExporterHttp(registry, () => timedCheck('redis', timeoutMs, () => redis.ping())),
    (app) => app.close(),
  );
  await scope.closeAfter(() => http.listen({ port: config.INSIGHTS_EXPORTER_PORT, host: config.INSIGHTS_EXPORTER_HOST }));
  const address = http.server.address();
  const port = typeof address === 'object' && address ? address.port : config.INSIGHTS_EXPORTER_PORT;
  log.info({ port, queues, prefix }, 'exporter ready');

  return {
    port,
    listening,
    async stop() {
      await scope.close();
      log.info('exporter stopped');
    },
  };
}
