/** @insights/producer — the client library other services use to submit jobs and read results. */
export { InsightsClient, contentOf, type ClientConnections, type EnqueueIds, type JobStatus, type Submitted, type SubmittedData } from './client.js';
export { JobNotFoundError, NotCancellableError, ResultTimeoutError, ProducerErrorCode, PRODUCER_FAULTS } from './errors.js';
export { loadClientConfig, ClientConfig } from './config.js';
