import { expect } from 'chai';
import { JobErrorCode, NO_ERROR_CODE, QUEUE_NAMES } from '@insights/jobs';
import { CLUSTER_COUNT_BUCKETS, JOB_STATES, METHODS, STRATEGIES, TEAM_COUNT_BUCKETS } from '@insights/exporter';
import type { Exposition } from '../helpers/exposition.js';

/** Families the exporter makes (its own, not the process metrics prom-client adds). */
export const EXPORTER_FAMILIES = [
  'clustering_jobs_total',
  'clustering_duration_seconds',
  'clustering_active_jobs',
  'team_formations_total',
  'clustering_quality_score',
  'clustering_silhouette',
  'clustering_fallbacks_total',
  'insights_queue_jobs',
  'insights_queue_oldest_waiting_age_seconds',
  'insights_queue_wait_seconds',
  'insights_queue_workers',
  'insights_queue_paused',
  'insights_jobs_stalled_total',
  'insights_jobs_retried_total',
  'insights_jobs_added_total',
  'insights_jobs_finished_total',
  'insights_job_run_seconds',
  'insights_job_result_seconds',
  'insights_queue_oldest_active_age_seconds',
  'insights_queue_last_event_timestamp_seconds',
  'insights_exporter_up',
  'insights_exporter_scrape_duration_seconds',
];

/** Whether a sample name belongs to one of the exporter's families. */
function isExporterSample(name: string): boolean {
  return EXPORTER_FAMILIES.some((family) => name === family || name === `${family}_bucket` || name === `${family}_sum` || name === `${family}_count`);
}

/**
 * Asserts that every label of every exporter sample takes a value from its fixed set (or, for
 * organisations, one of `organizations`), and that no value contains any of `ids`.
 */
export function expectBoundedLabels(metrics: Exposition, organizations: string[], ids: string[], queues: readonly string[] = QUEUE_NAMES): void {
  const allowed: Record<string, (value: string) => boolean> = {
    queue: (v) => queues.includes(v),
    state: (v) => (JOB_STATES as readonly string[]).includes(v),
    method: (v) => [...METHODS, 'unknown'].includes(v),
    status: (v) => ['completed', 'failed'].includes(v),
    code: (v) => [...Object.values(JobErrorCode), NO_ERROR_CODE].includes(v),
    organization: (v) => [...organizations, 'other', 'unknown'].includes(v),
    cluster_count: (v) => (CLUSTER_COUNT_BUCKETS as readonly string[]).includes(v),
    team_count: (v) => (TEAM_COUNT_BUCKETS as readonly string[]).includes(v),
    strategy: (v) => [...STRATEGIES, 'other', 'unknown'].includes(v),
    metric_type: (v) => /^[a-z][a-z0-9_]{0,39}$/.test(v),
    le: (v) => v === '+Inf' || Number.isFinite(Number(v)),
  };
  let checked = 0;
  for (const [name, samples] of metrics) {
    if (!isExporterSample(name)) continue;
    for (const { labels } of samples) {
      for (const [label, value] of Object.entries(labels)) {
        expect(allowed[label], `label ${label} of ${name} is one the exporter documents`).to.be.a('function');
        expect(allowed[label]!(value), `${name}{${label}="${value}"} takes a value from its fixed set`).to.equal(true);
        for (const id of ids) expect(value, `${name}{${label}} holds no id`).not.to.include(id);
        checked++;
      }
    }
  }
  expect(checked, 'label values checked').to.be.greaterThan(100);
}
