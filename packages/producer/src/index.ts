/** @insights/producer — the client library other services use to submit jobs and read results. */
export { InsightsClient, type ClientConnections, type JobStatus, type SubmitRequest, type Submitted, type SubmittedData, type SubmittedJob } from './client.js';
export { IdempotencyKeyReusedError, JobNotFoundError, NotCancellableError, ResultTimeoutError, ProducerErrorCode, PRODUCER_FAULTS } from './errors.js';
export {
  QueueAdmin,
  LISTED_STATES,
  CLEANABLE_STATES,
  type ListedState,
  type CleanableState,
  type JobRow,
  type QueueRow,
  type WorkerRow,
} from './queue-admin.js';
