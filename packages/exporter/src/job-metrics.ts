import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { DEFAULT_METHOD } from '@insights/core';
import {
  CLUSTERING_DURATION_BUCKETS,
  codeOfReason,
  JOB_RESULT_BUCKETS,
  JobErrorCode,
  JobSummary,
  METRICS,
  NO_ERROR_CODE,
  QUEUE_WAIT_BUCKETS,
  QUEUES,
  SILHOUETTE_BUCKETS,
} from '@insights/jobs';
import { CappedLabel, CLUSTER_COUNT_BUCKETS, countBucket, METHODS, methodLabel, STRATEGIES, strategyLabel, TEAM_COUNT_BUCKETS, UNKNOWN } from './labels.js';

/** Quality scores become `metric_type` values: snake_case names, at most this many distinct ones. */
const MAX_METRIC_TYPES = 20;

/** The counters and histograms fed by queue events, and how events update them. */
export interface JobMetrics {
  /** A job completed with this return value (a JobSummary, or anything else from an older worker). */
  completed(queue: string, returnvalue: unknown): void;
  /**
   * A job failed for good; `data` is its payload when it could still be read, `reason` its
   * failure reason (`CODE: message`; one without a known code counts as INTERNAL).
   */
  failed(queue: string, data: unknown, reason?: string): void;
  /** A job was added to the queue. */
  added(queue: string): void;
  /** The queue's event stream delivered an event (of any kind) now. */
  heard(queue: string): void;
  /**
   * A job became active; `data` is its payload. Starts at 0 the `clustering_jobs_total` series
   * (both statuses) its completion or failure will count in, so that `rate()` and `increase()`
   * see the first job of a new organisation or method: a series born at 1 shows no increase.
   */
  active(queue: string, data: unknown): void;
  /** A job's worker died (lock lapsed); BullMQ handed it back to the queue. */
  stalled(queue: string): void;
  /** A failed attempt was put back for another one. */
  retried(queue: string): void;
}

/** What the job metrics need. */
export interface JobMetricOptions {
  registry: Registry;
  /** Watched queues: their per-queue series start at 0. */
  queues: readonly string[];
  /** Organisations with a label value of their own (INSIGHTS_EXPORTER_MAX_ORGS). */
  maxOrganizations: number;
}

/**
 * Creates the event-fed metrics on `registry`. Every label set that can be known in advance
 * starts at 0, so that `rate()` and `increase()` see the first event; organisations cannot be
 * known in advance, so their series start at 0 when a job of theirs becomes active (`active`).
 */
export function createJobMetrics({ registry, queues, maxOrganizations }: JobMetricOptions): JobMetrics {
  const registers = [registry];
  const organizations = new CappedLabel(maxOrganizations);
  const metricTypes = new CappedLabel(MAX_METRIC_TYPES, /^[a-z][a-z0-9_]{0,39}$/);
  const jobs = new Counter({
    name: METRICS.clusteringJobsTotal,
    help: 'Clustering jobs finished, by method, outcome and organisation (capped, beyond it `other`)',
    labelNames: ['method', 'status', 'organization'],
    registers,
  });
  const duration = new Histogram({
    name: METRICS.clusteringDurationSeconds,
    help: 'Run time of completed clustering jobs (start to result computed), by method and number of clusters (ranges)',
    labelNames: ['method', 'cluster_count'],
    buckets: [...CLUSTERING_DURATION_BUCKETS],
    registers,
  });
  const wait = new Histogram({
    name: METRICS.queueWaitSeconds,
    help: 'Time completed jobs waited from enqueue to start',
    labelNames: ['queue'],
    buckets: [...QUEUE_WAIT_BUCKETS],
    registers,
  });
  const teams = new Counter({
    name: METRICS.teamFormationsTotal,
    help: 'Team formations completed, by strategy and number of teams (ranges)',
    labelNames: ['strategy', 'team_count'],
    registers,
  });
  const stalled = new Counter({
    name: METRICS.jobsStalledTotal,
    help: 'Jobs handed back to their queue because their worker stopped renewing the lock',
    labelNames: ['queue'],
    registers,
  });
  const retried = new Counter({
    name: METRICS.jobsRetriedTotal,
    help: 'Failed attempts put back for another attempt (moved to delayed for their backoff)',
    labelNames: ['queue'],
    registers,
  });
  const quality = new Gauge({
    name: METRICS.clusteringQualityScore,
    help: 'Last quality score of a completed job, by score and method',
    labelNames: ['metric_type', 'method'],
    registers,
  });
  const silhouette = new Histogram({
    name: METRICS.clusteringSilhouette,
    help: 'Silhouette scores of completed clustering jobs',
    labelNames: ['method'],
    buckets: [...SILHOUETTE_BUCKETS],
    registers,
  });
  const added = new Counter({ name: METRICS.jobsAddedTotal, help: 'Jobs added to each queue', labelNames: ['queue'], registers });
  const finished = new Counter({
    name: METRICS.jobsFinishedTotal,
    help: 'Jobs finished for good, by queue, outcome and failure code (JobErrorCode; `none` when completed)',
    labelNames: ['queue', 'status', 'code'],
    registers,
  });
  const run = new Histogram({
    name: METRICS.jobRunSeconds,
    help: 'Run time of completed jobs (start to result stored), by queue',
    labelNames: ['queue'],
    buckets: [...CLUSTERING_DURATION_BUCKETS],
    registers,
  });
  const result = new Histogram({
    name: METRICS.jobResultSeconds,
    help: 'Time from submission to result of completed jobs, by queue',
    labelNames: ['queue'],
    buckets: [...JOB_RESULT_BUCKETS],
    registers,
  });
  const lastEvent = new Gauge({
    name: METRICS.queueLastEventTimestampSeconds,
    help: 'When the exporter last heard an event of each queue (Unix time; 0 until the first one)',
    labelNames: ['queue'],
    registers,
  });
  const fallbacks = new Counter({
    name: METRICS.clusteringFallbacksTotal,
    help: 'Completed clustering jobs whose method fell back to k-means on the energies',
    labelNames: ['method'],
    registers,
  });

  for (const queue of queues) {
    added.inc({ queue }, 0);
    finished.inc({ queue, status: 'completed', code: NO_ERROR_CODE }, 0);
    for (const code of Object.values(JobErrorCode)) finished.inc({ queue, status: 'failed', code }, 0);
    run.zero({ queue });
    result.zero({ queue });
    lastEvent.set({ queue }, 0);
    wait.zero({ queue });
    stalled.inc({ queue }, 0);
    retried.inc({ queue }, 0);
  }
  for (const method of METHODS) {
    silhouette.zero({ method });
    fallbacks.inc({ method }, 0);
    for (const cluster_count of CLUSTER_COUNT_BUCKETS) duration.zero({ method, cluster_count });
  }
  for (const strategy of STRATEGIES) for (const team_count of TEAM_COUNT_BUCKETS) teams.inc({ strategy, team_count }, 0);

  const recordQuality = (summary: JobSummary, method: string) => {
    for (const [name, value] of Object.entries(summary.quality)) {
      if (value === null || !Number.isFinite(value)) continue;
      const metric_type = metricTypes.of(name);
      if (metric_type !== UNKNOWN) quality.set({ metric_type, method }, value);
    }
  };

  /** `method` and `organization` of a clustering job's payload, as its failure counts them. */
  const payloadLabels = (data: unknown) => {
    const payload = isRecord(data) ? data : {};
    // A payload without a method asks for the default one, as the job schema fills it in.
    const method = isRecord(payload.options) ? methodLabel(payload.options.method ?? DEFAULT_METHOD) : UNKNOWN;
    return { method, organization: organizations.of(payload.organization) };
  };

  return {
    completed(queue, returnvalue) {
      finished.inc({ queue, status: 'completed', code: NO_ERROR_CODE });
      const parsed = JobSummary.safeParse(returnvalue);
      if (!parsed.success) {
        if (queue === QUEUES.clustering) jobs.inc({ method: UNKNOWN, status: 'completed', organization: UNKNOWN });
        return;
      }
      const summary = parsed.data;
      const method = methodLabel(summary.method);
      const { queued, run: running, save } = summary.durations_ms;
      wait.observe({ queue }, Math.max(0, queued) / 1000);
      run.observe({ queue }, Math.max(0, running + save) / 1000);
      result.observe({ queue }, Math.max(0, queued + running + save) / 1000);
      recordQuality(summary, method);
      if (summary.kind === 'clustering') {
        jobs.inc({ method, status: 'completed', organization: organizations.of(summary.organization) });
        duration.observe({ method, cluster_count: countBucket(summary.k, CLUSTER_COUNT_BUCKETS) }, Math.max(0, summary.durations_ms.run) / 1000);
        const score = summary.quality.silhouette;
        if (typeof score === 'number' && Number.isFinite(score)) silhouette.observe({ method }, score);
        if (summary.fallback) fallbacks.inc({ method });
      } else {
        teams.inc({ strategy: strategyLabel(summary.strategy), team_count: countBucket(summary.teams ?? 0, TEAM_COUNT_BUCKETS) });
      }
    },
    failed(queue, data, reason) {
      finished.inc({ queue, status: 'failed', code: codeOfReason(reason) ?? JobErrorCode.INTERNAL });
      if (queue !== QUEUES.clustering) return;
      const { method, organization } = payloadLabels(data);
      jobs.inc({ method, status: 'failed', organization });
    },
    active(queue, data) {
      if (queue !== QUEUES.clustering || !isRecord(data)) return;
      const { method, organization } = payloadLabels(data);
      for (const status of ['completed', 'failed']) jobs.inc({ method, status, organization }, 0);
    },
    added: (queue) => added.inc({ queue }),
    heard: (queue) => lastEvent.set({ queue }, Date.now() / 1000),
    stalled: (queue) => stalled.inc({ queue }),
    retried: (queue) => retried.inc({ queue }),
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
