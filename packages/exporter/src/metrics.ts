import { collectDefaultMetrics, Registry } from 'prom-client';
import { createJobMetrics, type JobMetrics } from './job-metrics.js';
import { registerQueueGauges } from './queue-gauges.js';
import type { SnapshotSource } from './snapshot.js';

/** prom-client default metrics whose names break the Prometheus naming rules. */
const LINT_FAILING_DEFAULTS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/** What the exporter's registry needs. */
export interface ExporterMetricOptions {
  queues: readonly string[];
  maxOrganizations: number;
  snapshot: SnapshotSource;
}

/**
 * The exporter's registry (its own, never prom-client's global one): the process's default
 * metrics (less three whose names promtool rejects), the queue gauges read at scrape time, and the job metrics fed by queue events.
 */
export function createExporterMetrics(options: ExporterMetricOptions): { registry: Registry; jobs: JobMetrics } {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // Gauges named like counters fail `promtool check metrics`; `nodejs_active_handles` and
  // friends (by type) carry the same numbers.
  for (const name of LINT_FAILING_DEFAULTS) registry.removeSingleMetric(name);
  registerQueueGauges({ registry, snapshot: options.snapshot, queues: options.queues });
  const jobs = createJobMetrics({ registry, queues: options.queues, maxOrganizations: options.maxOrganizations });
  return { registry, jobs };
}
