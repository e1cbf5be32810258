/**
 * @insights/store — PostgreSQL: migrations, content-addressed data sets, job results (one per
 * job), retention, and the API's tokens, job index and audit log. Every function takes the schema
 * to use (default `public`).
 */
export { migrate, type MigrateOptions, type MigrateResult } from './migrate.js';
export {
  datasetId,
  putDataset,
  getDataset,
  deleteDataset,
  type DatasetContent,
  type SkippedRow,
  type PutDatasetResult,
} from './datasets.js';
export {
  saveResult,
  getResult,
  deleteResult,
  type NewJobResult,
  type JobResult,
  type ResultKind,
  type QualityScores,
} from './results.js';
export {
  TOKEN_PREFIX,
  hashToken,
  createToken,
  findToken,
  revokeToken,
  listTokens,
  type ApiToken,
  type CreatedToken,
} from './tokens.js';
export { appendAudit, readAudit, type AuditAction, type AuditEntry, type AuditQuery } from './audit.js';
export {
  indexJob,
  findIndexedJob,
  listIndexedJobs,
  unindexJob,
  forgetJob,
  type NewIndexedJob,
  type IndexedJob,
  type ForgetResult,
} from './api-jobs.js';
export { pruneOlderThan, parseDuration, type PruneOptions, type PruneResult } from './prune.js';
export { createPool, isUnavailable, type PoolOptions } from './pool.js';
export { sqlState, type Queryable, type SchemaOption } from './sql.js';
export {
  StoreError,
  StoreErrorCode,
  STORE_FAULTS,
  MigrationChecksumError,
  MigrationFailedError,
  MigrationFileError,
  InvalidDatasetError,
  DatasetNotFoundError,
  InvalidDurationError,
  type ChangedMigration,
} from './errors.js';
export {
  recordAlert,
  claimRateLimited,
  markActed,
  recordAction,
  hasAction,
  listIncidentActions,
  saveSnapshot,
  listIncidentSnapshots,
  findIncident,
  listIncidents,
  escalateDue,
  holdQueuePause,
  queuePauseHolders,
  listQueuePauses,
  releaseQueuePause,
  type QueuePause,
  type ObservedAlert,
  type Incident,
  type IncidentStatus,
  type IncidentAction,
  type IncidentActionKind,
  type IncidentActionOutcome,
  type IncidentSnapshot,
  type AlertChange,
  type RateLimitedKind,
} from './incidents.js';
export { markStale, dryRunPausesBy, type StaleIncident, type DryRunPause } from './incident-checks.js';
