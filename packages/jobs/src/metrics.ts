/**
 * Metric names. Contracts: dashboards, alert rules and the operations guide use them, so change
 * one only with a migration note in the README.
 */
export const METRICS = {
  clusteringJobsTotal: 'clustering_jobs_total',
  clusteringDurationSeconds: 'clustering_duration_seconds',
  clusteringActiveJobs: 'clustering_active_jobs',
  teamFormationsTotal: 'team_formations_total',
  clusteringQualityScore: 'clustering_quality_score',
  apiRequestsTotal: 'api_requests_total',
  apiRequestDurationSeconds: 'api_request_duration_seconds',
  queueJobs: 'insights_queue_jobs',
  queueOldestWaitingAgeSeconds: 'insights_queue_oldest_waiting_age_seconds',
  queueWaitSeconds: 'insights_queue_wait_seconds',
  queueWorkers: 'insights_queue_workers',
  jobsStalledTotal: 'insights_jobs_stalled_total',
  exporterUp: 'insights_exporter_up',
  workerJobsInFlight: 'insights_worker_jobs_in_flight',
  workerThreadsBusy: 'insights_worker_threads_busy',
} as const;

/** Buckets of `clustering_duration_seconds`, from the operations guide: 0.1 s to 30 min. */
export const CLUSTERING_DURATION_BUCKETS = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800] as const;
