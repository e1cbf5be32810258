import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { METRICS, QUEUE_NAMES } from '@insights/jobs';
import type { ComputePool } from './compute-pool.js';

/** The worker's own metrics: process and event-loop metrics, jobs in flight, threads busy. */
export interface WorkerMetrics {
  registry: Registry;
  jobStarted(queue: string): void;
  jobFinished(queue: string, status: 'completed' | 'failed'): void;
  /** A job handed back to the queue on a drain timeout: no longer in flight, not finished either. */
  jobHandedBack(queue: string): void;
  /** BullMQ could not renew the locks of this many jobs: they will stall and run again elsewhere. */
  lockRenewalFailed(queue: string, jobs: number): void;
}

/**
 * A registry of its own (never the global one), with prom-client's default process metrics
 * (which include `nodejs_eventloop_lag_p99_seconds`), and gauges read at scrape time.
 */
export function createWorkerMetrics(pool: ComputePool): WorkerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const inFlight = new Gauge({ name: METRICS.workerJobsInFlight, help: 'Jobs this worker is processing', labelNames: ['queue'], registers: [registry] });
  for (const queue of QUEUE_NAMES) inFlight.set({ queue }, 0);
  new Gauge({
    name: METRICS.workerThreadsBusy,
    help: 'Compute threads of this worker currently busy',
    registers: [registry],
    collect() {
      this.set(pool.busy());
    },
  });
  new Gauge({ name: 'insights_worker_threads', help: 'Compute threads of this worker', registers: [registry] }).set(pool.threads);
  const processed = new Counter({
    name: 'insights_worker_jobs_processed_total',
    help: 'Jobs this worker finished, by outcome',
    labelNames: ['queue', 'status'],
    registers: [registry],
  });
  const lockRenewalFailures = new Counter({
    name: METRICS.workerLockRenewalFailuresTotal,
    help: 'Jobs whose lock this worker failed to renew (Redis unreachable or the lock already lost): each will stall',
    labelNames: ['queue'],
    registers: [registry],
  });
  // Every series exists from the start, so that rate() and increase() count a worker's first job.
  for (const queue of QUEUE_NAMES) {
    for (const status of ['completed', 'failed']) processed.inc({ queue, status }, 0);
    lockRenewalFailures.inc({ queue }, 0);
  }
  return {
    registry,
    jobStarted: (queue) => inFlight.inc({ queue }),
    jobFinished: (queue, status) => {
      inFlight.dec({ queue });
      processed.inc({ queue, status });
    },
    jobHandedBack: (queue) => inFlight.dec({ queue }),
    lockRenewalFailed: (queue, jobs) => lockRenewalFailures.inc({ queue }, jobs),
  };
}
