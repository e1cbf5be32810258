import { UnrecoverableError, WaitingError, Worker, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { codeOfReason, JobError, QUEUE_NAMES, type JobSummary } from '@insights/jobs';
import { createPool, migrate } from '@insights/store';
import { createComputePool } from './compute-pool.js';
import type { WorkerConfig } from './config.js';
import { connectRedis, timedCheck } from '@insights/runtime';
import { buildWorkerHttp } from './http.js';
import { createWorkerMetrics } from './metrics.js';
import { createProcessor } from './processor.js';
import { inSpan, SpanKind, withTraceContext } from '@insights/telemetry';

/** How long a forced close or a QUIT may take before the connections are simply dropped, in ms. */
const FORCE_CLOSE_MS = 3_000;

/**
 * Waits for a step of the shutdown, at most `ms`, ignoring its failure: after a Redis failover a
 * blocked read or a QUIT sent to the lost master never comes back, and the process must still end.
 */
async function bounded(step: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([step.catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** A running worker process's parts, and how to stop them. */
export interface RunningWorker {
  /** Where /metrics and /health listen. */
  port: number;
  /**
   * Stops taking jobs and lets those in flight finish, up to the drain timeout; jobs still
   * running then are moved back to waiting, for another worker to take.
   */
  stop(): Promise<{ handedBack: number }>;
}

/**
 * Starts a worker on both queues: PostgreSQL schema brought up to date (safe with many replicas),
 * a compute thread pool, one BullMQ worker per queue, and /metrics and /health.
 */
export async function startWorker(config: WorkerConfig, log: Logger): Promise<RunningWorker> {
  // A query cut off by a partition fails in time (UNAVAILABLE, retried) instead of holding the job until the link returns.
  const db = createPool(config.DATABASE_URL, { applicationName: 'insights-worker', queryTimeoutMillis: config.WORKER_DB_QUERY_TIMEOUT_MS });
  await migrate(db, { schema: config.DATABASE_SCHEMA });
  const compute = createComputePool(config.WORKER_THREADS, config.WORKER_THREAD_MEMORY_MB);
  const metrics = createWorkerMetrics(compute);
  const processor = createProcessor({ db, schema: config.DATABASE_SCHEMA, compute });
  // maxRetriesPerRequest null: blocking commands wait through a Redis restart instead of failing.
  const redis = connectRedis(config.REDIS_URL, config.REDIS_CLUSTER, { maxRetriesPerRequest: null });
  /** Jobs being processed, with the lock token each was taken with. */
  const inFlight = new Map<Job, string | undefined>();
  /** Jobs moved back to waiting by a drain timeout: whatever their processing does next is moot. */
  const handedBackJobs = new Set<Job>();

  const workers = QUEUE_NAMES.map((queue) => {
    const queueLog = log.child({ queue });
    const worker = new Worker<unknown, JobSummary>(
      queue,
      async (job, token) => {
        // The job continues the trace of the request that submitted it; its log lines carry that trace.
        const carried = (job.data as { trace?: { traceparent?: string; tracestate?: string } } | undefined)?.trace;
        const attributes = { 'messaging.system': 'bullmq', 'messaging.destination.name': queue, 'messaging.message.id': job.id ?? '', 'job.attempt': job.attemptsMade + 1 };
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
        if (handedBackJobs.has(job)) {
          // Already back in the wait list: BullMQ must not fail it, and it is not a failure here.
          metrics.jobHandedBack(queue);
          jobLog.info('job handed back before it finished');
          throw new WaitingError();
        }
        metrics.jobFinished(queue, 'failed');
        jobLog.warn({ code: codeOfReason((error as Error).message) ?? 'INTERNAL', err: error }, 'job failed');
        // Failures that a retry cannot fix (OUT_OF_MEMORY) end the job at once.
        if (error instanceof JobError && !error.retryable) throw new UnrecoverableError(error.message);
        throw error;
      } finally {
        inFlight.delete(job);
      }
    }
    worker.on('error', (err) => queueLog.error({ err }, 'worker error'));
    worker.on('stalled', (jobId) => queueLog.warn({ job_id: jobId }, 'stalled job handed back to the queue'));
    return worker;
  });

  let draining = false;
  const http = buildWorkerHttp(metrics.registry, {
    draining: () => draining,
    checks: async () => ({
      redis: await timedCheck('redis', 3_000, () => redis.ping()),
      database: await timedCheck('database', 5_000, () => db.query('SELECT 1')),
    }),
  });
  try {
    await http.listen({ port: config.WORKER_METRICS_PORT, host: config.WORKER_METRICS_HOST });
  } catch (error) {
    await Promise.all(workers.map((w) => w.close(true)));
    await compute.close().catch(() => undefined);
    await redis.quit().catch(() => redis.disconnect());
    await db.end();
    throw error;
  }
  for (const worker of workers) void worker.run().catch((err: unknown) => log.error({ err }, 'worker stopped taking jobs'));
  const address = http.server.address();
  const port = typeof address === 'object' && address ? address.port : config.WORKER_METRICS_PORT;
  log.info({ port, queues: QUEUE_NAMES, concurrency: config.WORKER_CONCURRENCY, threads: config.WORKER_THREADS }, 'worker ready');

  return {
    port,
    async stop() {
      draining = true;
      log.info({ in_flight: inFlight.size }, 'draining: no new jobs, waiting for those in flight');
      const drained = Promise.all(workers.map((w) => w.close())).then(() => true);
      const timedOut = new Promise<false>((resolve) => setTimeout(() => resolve(false), config.WORKER_DRAIN_TIMEOUT_MS).unref());
      const finished = await Promise.race([drained, timedOut]);
      let handedBack = 0;
      if (!finished) {
        // Back to waiting, lock released, no attempt counted: another worker takes them at once.
        for (const [job, token] of inFlight) {
          try {
            await job.moveToWait(token);
            handedBackJobs.add(job);
            handedBack++;
          } catch (err) {
            log.warn({ job_id: job.id, err }, 'could not hand a job back; it will be re-run once its lock lapses');
          }
        }
        log.warn({ handed_back: handedBack }, 'drain timeout: jobs still running were handed back to the queue');
        // Stop their computations now: their results would be another worker's to produce.
        await compute.close().catch(() => undefined);
        await bounded(Promise.all(workers.map((w) => w.close(true))), FORCE_CLOSE_MS);
      }
      await http.close();
      if (finished) await compute.close().catch(() => undefined);
      // QUIT goes to every node; one whose host vanished in a failover never answers it.
      await bounded(redis.quit(), FORCE_CLOSE_MS);
      redis.disconnect();
      await db.end();
      log.info({ handed_back: handedBack }, 'worker stopped');
      return { handedBack };
    },
  };
}
