import { CodedError, type Fault } from '@insights/errors';

/**
 * Error catalogue of the store. Every error carries a stable `code` that callers compare with (or
 * use `instanceof`), never the message text. Database errors from `pg` pass through unchanged;
 * `isUnavailable` says which of them are worth retrying.
 */

/** Stable error codes of the store. */
export const StoreErrorCode = {
  /** An applied migration's file changed since it was applied: the schema may not match the code. */
  MIGRATION_CHECKSUM_MISMATCH: 'MIGRATION_CHECKSUM_MISMATCH',
  /** The migrations folder holds a file that is not `NNNN_name.sql`, or two files share a version. */
  MIGRATION_FILE_INVALID: 'MIGRATION_FILE_INVALID',
  /** A migration's SQL failed; nothing of this run was applied. The database error is the `cause`. */
  MIGRATION_FAILED: 'MIGRATION_FAILED',
  /** Data set content is inconsistent (array lengths) or holds a number JSON cannot carry. */
  INVALID_DATASET: 'INVALID_DATASET',
  /** A result refers to a data set that does not exist (never stored, or pruned). */
  DATASET_NOT_FOUND: 'DATASET_NOT_FOUND',
  /** A retention duration is not like `180d`, `12h`, `30m` or `45s`, or is not positive. */
  INVALID_DURATION: 'INVALID_DURATION',
} as const;
export type StoreErrorCode = (typeof StoreErrorCode)[keyof typeof StoreErrorCode];

/**
 * Whose fault each code is. Migrations are ours (the files we ship, the schema we manage); a data
 * set that cannot be stored, a data set that no longer exists and a bad duration are the caller's.
 */
export const STORE_FAULTS: Readonly<Record<StoreErrorCode, Fault>> = {
  MIGRATION_CHECKSUM_MISMATCH: 'ours',
  MIGRATION_FILE_INVALID: 'ours',
  MIGRATION_FAILED: 'ours',
  INVALID_DATASET: 'caller',
  DATASET_NOT_FOUND: 'caller',
  INVALID_DURATION: 'caller',
};

/** Base class of every error the store throws on purpose. */
export class StoreError extends CodedError<StoreErrorCode> {
  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, STORE_FAULTS[code], message, options);
  }
}

/** One applied migration whose file no longer matches what was applied. */
export interface ChangedMigration {
  version: number;
  name: string;
  /** Checksum recorded when the migration was applied. */
  applied: string;
  /** Checksum of the file now. */
  current: string;
}

/** Applied migrations were edited afterwards; `migrate` refuses to go on (add a new migration instead). */
export class MigrationChecksumError extends StoreError {
  readonly changed: readonly ChangedMigration[];
  constructor(schema: string, changed: readonly ChangedMigration[]) {
    const list = changed.map((m) => `${String(m.version).padStart(4, '0')}_${m.name}.sql`).join(', ');
    super(
      StoreErrorCode.MIGRATION_CHECKSUM_MISMATCH,
      `migrations already applied to schema "${schema}" have changed since: ${list}; ` + 'restore the original files and put the change in a new migration',
    );
    this.changed = changed;
  }
}

/** The migrations folder cannot be read as an ordered list of migrations. */
export class MigrationFileError extends StoreError {
  constructor(message: string) {
    super(StoreErrorCode.MIGRATION_FILE_INVALID, message);
  }
}

/** A migration's SQL failed, so the whole run was rolled back. */
export class MigrationFailedError extends StoreError {
  /** The failed migration, as `NNNN_name`. */
  readonly migration: string;
  constructor(migration: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(StoreErrorCode.MIGRATION_FAILED, `migration ${migration} failed, nothing was applied: ${reason}`, { cause });
    this.migration = migration;
  }
}

/** Data set content that cannot be stored faithfully; every problem is listed. */
export class InvalidDatasetError extends StoreError {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(StoreErrorCode.INVALID_DATASET, `invalid data set content:\n  ${problems.join('\n  ')}`);
    this.problems = problems;
  }
}

/** A result names a data set that is not stored. */
export class DatasetNotFoundError extends StoreError {
  readonly datasetId: string;
  constructor(datasetId: string, options?: { cause?: unknown }) {
    super(StoreErrorCode.DATASET_NOT_FOUND, `data set ${datasetId} does not exist`, options);
    this.datasetId = datasetId;
  }
}

/** A duration such as `--older-than` that cannot be read or is out of range. */
export class InvalidDurationError extends StoreError {
  constructor(message: string) {
    super(StoreErrorCode.INVALID_DURATION, message);
  }
}
