/**
 * @insights/exporter — the metrics sidecar: reads the queues from Redis at scrape time and turns
 * queue events into Prometheus metrics. Its entry point is `insights exporter` (see runExporterProcess).
 */
export { runExporterProcess } from './main.js';
export { startExporter, type RunningExporter } from './start-exporter.js';
export { loadExporterConfig, ExporterConfig } from './config.js';
export { ConfigError } from '@insights/runtime';
export { JOB_STATES, type JobState } from './queue-state.js';
export { CLUSTER_COUNT_BUCKETS, TEAM_COUNT_BUCKETS, METHODS, STRATEGIES, OTHER, UNKNOWN } from './labels.js';
