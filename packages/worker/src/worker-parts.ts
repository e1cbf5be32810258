import { WaitingError, Worker, type Job } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { codeOfReason, QUEUE_NAMES, type JobSummary } from '@insights/jobs';
import { bounded, closeRedis, CloseTimeoutError, connectRedis, timedCheck, type Scope } from '@insights/runtime';
import { createPool, Store } from '@insights/store';
import { inSpan, SpanKind, withTraceContext } from '@insights/telemetry';
import { createComputePool, type ComputePool } from './compute-pool.js';
import type { WorkerConfig } from './config.js';
import { buildWorkerHttp } from './http.js';
import { createWorkerMetrics } from './metrics.js';
import { createProcessor } from './processor.js';
import { forBullMq } from './retry-table.js';

/**
 * How long a forced close of a BullMQ worker may take before its connections are dropped: after a
 * Redis Cluster failover the close waits on a blocking read sent to the lost master, which never
 * returns. Below the scope's own bound, so that dropping them is a normal end, not a failure.
 */
const FORCE_CLOSE_MS = 3_000;

/** Closes a BullMQ worker with force, dropping its connections when the close cannot finish in time. */
async function forceClose(worker: Worker, log: Logger): Promise<void> {
  try {
    await bounded('worker close', FORCE_CLOSE_MS, () => worker.close(true));
  } catch (error) {
    if (!(error instanceof CloseTimeoutError)) throw error;
    log.warn({ timeout_ms: FORCE_CLOSE_MS }, 'worker did not close in time (Redis unreachable?); its connections are dropped');
    // The process is ending: a disconnect that does not finish either is left behind.
    await bounded('worker disconnect', 1_000, () => worker.disconnect()).catch(() => undefined);
  }
}

/** A worker's parts, once built; each is registered in the scope that closes it. */
export interface WorkerParts {
  compute: ComputePool;
  /** One BullMQ worker per queue, not yet taking jobs. */
  workers: Worker<unknown, JobSummary>[];
  /** /metrics and /health, not yet listening. */
  http: FastifyInstance;
  /** Jobs being processed, with the lock token each was taken with. */
  inFlight: Map<Job, string | undefined>;
  /** Jobs moved back to waiting by a drain timeout: whatever their processing does next is moot. */
  handedBack: Set<Job>;
  /** Marks the worker as draining: /health answers 503 from then on. */
  startDraining(): void;
}

/**
 * Builds a worker's parts in order — the PostgreSQL pool and schema (safe with many replicas),
 * the compute threads, Redis, one BullMQ worker per queue, the HTTP surface — registering each
 * one's closer in `scope` as it starts, so that a start failing half-way closes what it opened.
 */
export async function buildWorkerParts(config: WorkerConfig, log: Logger, scope: Scope): Promise<WorkerParts> {
  // A query cut off by a partition fails in time (UNAVAILABLE, retried) instead of holding the job until the link returns.
  const db = scope.add(
    'database pool',
    createPool(config.DATABASE_URL, { applicationName: 'insights-worker', queryTimeoutMillis: config.WORKER_DB_QUERY_TIMEOUT_MS }),
    (pool) => pool.end(),
  );
  const store = new Store(db, config.DATABASE_SCHEMA);
  await store.migrate();
  const compute = scope.add('compute threads', createComputePool(config.WORKER_THREADS, config.WORKER_THREAD_MEMORY_MB), (pool) => pool.close());
  const metrics = createWorkerMetrics(compute);
  const processor = createProcessor({ store, compute });
  // maxRetriesPerRequest null: blocking commands wait through a Redis restart instead of failing.
  const redis = scope.add('redis', connectRedis(config.REDIS_URL, config.REDIS_CLUSTER, { maxRetriesPerRequest: null }), (client) => closeRedis(client));
  const inFlight = new Map<Job, string | undefined>();
  const handedBack = new Set<Job>();

  const workers = QUEUE_NAMES.map((queue) => {
    const queueLog = log.child({ queue });
    const worker = new Worker<unknown, JobSummary>(
      queue,
      async (job, token) => {
        // The job continues the trace of the request that submitted it; its log lines carry that trace.
        const carried = (job.data as { trace?: { traceparent?: string; tracestate?: string } } | undefined)?.trace;
        const attributes = {
          'messaging.system': 'bullmq',
          'messaging.destination.name': queue,
          'messaging.message.id': job.id ?? '',
          'job.attempt': job.attemptsMade + 1,
        };
        return withTraceContext(carried, () => inSpan(`process ${queue}`, attributes, () => runJob(job, token), SpanKind.CONSUMER));
      },
      {
        connection: redis,
        prefix: config.QUEUE_PREFIX,
        concurrency: config.WORKER_CONCURRENCY,
        lockDuration: config.WORKER_LOCK_MS,
        stalledInterval: config.WORKER_STALLED_INTERVAL_MS,
        maxStalledCount: 3,
        // Taking jobs starts once /health and /metrics serve (a worker that cannot serve them must not run jobs).
        autorun: false,
      },
    );
    async function runJob(job: Job, token: string | undefined): Promise<JobSummary> {
      inFlight.set(job, token);
      metrics.jobStarted(queue);
      const jobLog = queueLog.child({ job_id: job.id, attempt: job.attemptsMade + 1 });
      jobLog.info('job started');
      try {
        const summary = await processor(job);
        metrics.jobFinished(queue, 'completed');
        jobLog.info({ duration_ms: summary.durations_ms.run, k: summary.k, n: summary.n }, 'job completed');
        return summary;
      } catch (error) {
        if (handedBack.has(job)) {
          // Already back in the wait list: BullMQ must not fail it, and it is not a failure here.
          metrics.jobHandedBack(queue);
          jobLog.info('job handed back before it finished');
          throw new WaitingError();
        }
        metrics.jobFinished(queue, 'failed');
        jobLog.warn({ code: codeOfReason((error as Error).message) ?? 'INTERNAL', err: error }, 'job failed');
        // Failures that a retry cannot fix (the caller's: bad payload or data, OUT_OF_MEMORY) end the job at once.
        throw forBullMq(error);
      } finally {
        inFlight.delete(job);
      }
    }
    worker.on('error', (err) => queueLog.error({ err }, 'worker error'));
    worker.on('stalled', (jobId) => queueLog.warn({ job_id: jobId }, 'stalled job handed back to the queue'));
    worker.on('lockRenewalFailed', (jobIds) => {
      metrics.lockRenewalFailed(queue, jobIds.length);
      queueLog.warn({ job_ids: jobIds }, 'could not renew job locks; the jobs will stall');
    });
    // Closed with force: by then the drain has let in-flight jobs finish or handed them back.
    return scope.add(`${queue} worker`, worker, (w) => forceClose(w, queueLog));
  });

  let draining = false;
  const http = buildWorkerHttp(metrics.registry, {
    draining: () => draining,
    checks: async () => ({
      redis: await timedCheck('redis', 3_000, () => redis.ping()),
      database: await timedCheck('database', 5_000, () => db.query('SELECT 1')),
    }),
  });
  scope.add('http', http, (app) => app.close());
  return { compute, workers, http, inFlight, handedBack, startDraining: () => (draining = true) };
}
