/**
 * @insights/jobs — the contract between producer, worker and exporter: queue names, job payload
 * schemas, the job catalogue with default options, failure codes and metric names.
 */
export { QUEUES, QUEUE_NAMES, DEFAULT_QUEUE_PREFIX, type QueueName } from './queues.js';
export { TraceContext, Organization, DatasetId, ClusteringJobOptions, ClusteringJob, TeamJobOptions, TeamFormationJob, JobSummary } from './schemas.js';
export { JOB_STAGES, JobProgress, ClusteringResultSchema, TeamFormationResultSchema } from './results.js';
export {
  JOBS,
  jobKindOfQueue,
  parseJobPayload,
  type JobKind,
  type JobKindName,
  type JobPayload,
  type JobPayloadInput,
  type JobHandlers,
  type DefaultJobOptions,
} from './catalogue.js';
export { JobError, JobErrorCode, JOB_FAULTS, codeOfReason, faultOfReason } from './errors.js';
export {
  METRICS,
  CLUSTERING_DURATION_BUCKETS,
  API_REQUEST_DURATION_BUCKETS,
  QUEUE_WAIT_BUCKETS,
  SILHOUETTE_BUCKETS,
  JOB_RESULT_BUCKETS,
  NO_ERROR_CODE,
} from './metrics.js';
