/**
 * @insights/store — PostgreSQL: migrations, content-addressed data sets, job results (one per
 * job), retention, and the API's tokens, job index and audit log, all through a `Store` bound to a
 * pool and a schema. The responder's incident tables have their own entry point,
 * `@insights/store/incidents`.
 */
export { Store } from './store.js';
export type { MigrateResult } from './migrate.js';
export type { DatasetContent, SkippedRow, PutDatasetResult } from './datasets.js';
export type { NewJobResult, JobResult, ResultKind, QualityScores } from './results.js';
export type { ApiToken, CreatedToken } from './tokens.js';
export type { AuditAction, AuditEntry, AuditQuery } from './audit.js';
export type { NewIndexedJob, IndexedJob, ForgetResult } from './api-jobs.js';
export { parseDuration, type PruneResult } from './prune.js';
export { createPool, isUnavailable, type PoolOptions } from './pool.js';
export { sqlState, type Queryable } from './sql.js';
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
