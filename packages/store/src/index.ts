/**
 * @insights/store — PostgreSQL: migrations, content-addressed data sets, job results (one per
 * job) and retention. Every function takes the schema to use (default `public`).
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
export { pruneOlderThan, parseDuration, type PruneOptions, type PruneResult } from './prune.js';
export { createPool, isUnavailable, type PoolOptions } from './pool.js';
export type { Queryable, SchemaOption } from './sql.js';
export {
  StoreError,
  StoreErrorCode,
  MigrationChecksumError,
  MigrationFailedError,
  MigrationFileError,
  InvalidDatasetError,
  DatasetNotFoundError,
  InvalidDurationError,
  type ChangedMigration,
} from './errors.js';
