/**
 * Metric names. Contracts: dashboards, alert rules and the operations guide use them, so change
 * one only with a migration note in the README.
 */
export const METRICS = {
  // Job metrics, from the exporter (fleet-wide, from queue events and job summaries).
  clusteringJobsTotal: 'clustering_jobs_total',
  clusteringDurationSeconds: 'clustering_duration_seconds',
  clusteringActiveJobs: 'clustering_active_jobs',
  teamFormationsTotal: 'team_formations_total',
  clusteringQualityScore: 'clustering_quality_score',
  clusteringSilhouette: 'clustering_silhouette',
  clusteringFallbacksTotal: 'clustering_fallbacks_total',
  // Queue health, from the exporter (read from Redis at scrape time).
  queueJobs: 'insights_queue_jobs',
  queueOldestWaitingAgeSeconds: 'insights_queue_oldest_waiting_age_seconds',
  queueWaitSeconds: 'insights_queue_wait_seconds',
  queueWorkers: 'insights_queue_workers',
  queuePaused: 'insights_queue_paused',
  jobsStalledTotal: 'insights_jobs_stalled_total',
  jobsRetriedTotal: 'insights_jobs_retried_total',
  // Outcomes of every queue, from the exporter's queue events: what the SLOs count.
  jobsAddedTotal: 'insights_jobs_added_total',
  jobsFinishedTotal: 'insights_jobs_finished_total',
  jobRunSeconds: 'insights_job_run_seconds',
  jobResultSeconds: 'insights_job_result_seconds',
  queueOldestActiveAgeSeconds: 'insights_queue_oldest_active_age_seconds',
  queueLastEventTimestampSeconds: 'insights_queue_last_event_timestamp_seconds',
  exporterUp: 'insights_exporter_up',
  exporterScrapeDurationSeconds: 'insights_exporter_scrape_duration_seconds',
  // The API's own metrics.
  apiRequestsTotal: 'api_requests_total',
  apiRequestDurationSeconds: 'api_request_duration_seconds',
  databaseConnectionsActive: 'database_connections_active',
  // Each worker's own metrics.
  workerJobsInFlight: 'insights_worker_jobs_in_flight',
  workerThreadsBusy: 'insights_worker_threads_busy',
  workerLockRenewalFailuresTotal: 'insights_worker_lock_renewal_failures_total',
} as const;

/** Buckets of `clustering_duration_seconds`, from the operations guide: 0.1 s to 30 min. */
export const CLUSTERING_DURATION_BUCKETS = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800] as const;

/** Buckets of `api_request_duration_seconds`, from the operations guide: 10 ms to 10 s. */
export const API_REQUEST_DURATION_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

/** Buckets of `insights_queue_wait_seconds` (enqueue to start): 10 ms to 1 h. */
export const QUEUE_WAIT_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600] as const;

/** Buckets of `clustering_silhouette`: the score runs from -1 to 1; useful clusterings sit above 0.25. */
export const SILHOUETTE_BUCKETS = [0, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1] as const;

/**
 * Buckets of `insights_job_result_seconds` (submission to result, completed jobs): 1 s to 1 h.
 * 600 is a bound on purpose: the submit-to-result SLO counts results within 10 minutes.
 */
export const JOB_RESULT_BUCKETS = [1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600] as const;

/** `code` of `insights_jobs_finished_total` for a completed job (failed jobs carry their JobErrorCode). */
export const NO_ERROR_CODE = 'none';
