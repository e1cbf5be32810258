import type { JobSummary } from '@insights/jobs';
import { DatasetNotFoundError } from './errors.js';
import { sqlState, table, type Queryable, type SchemaOption } from './sql.js';

/** What a job computed: `clustering` or `team-formation`. */
export type ResultKind = JobSummary['kind'];

/** Quality scores by metric name; null where a score is undefined (one cluster, say). */
export type QualityScores = Record<string, number | null>;

/** A finished job's result, as a worker saves it. */
export interface NewJobResult {
  /** The BullMQ job id: one row per job. */
  jobId: string;
  queue: string;
  organization: string;
  /** The data set the job read; deleting the data set deletes this result. */
  datasetId?: string | null;
  kind: ResultKind;
  /** The job's options, as run. */
  parameters: Record<string, unknown>;
  /** The full clustering or team-formation result (plain JSON: no typed arrays). */
  result: Record<string, unknown>;
  quality?: QualityScores | null;
  /** The attempt that produced the result (1 for the first). */
  attempts: number;
  durationMs: number;
}

/** A stored job result. */
export interface JobResult extends Required<NewJobResult> {
  datasetId: string | null;
  quality: QualityScores | null;
  createdAt: Date;
}

/**
 * Saves a job's result once: a second save of the same job (a stalled job re-run, a retried
 * worker) changes nothing and returns `inserted: false`, so each job has exactly one row.
 * Throws `DatasetNotFoundError` when `datasetId` names no stored data set.
 */
export async function saveResult(db: Queryable, row: NewJobResult, options?: SchemaOption): Promise<{ inserted: boolean }> {
  // JSON text with explicit casts: pg would send a top-level array as a PostgreSQL array literal.
  const values = [
    row.jobId,
    row.queue,
    row.organization,
    row.datasetId ?? null,
    row.kind,
    JSON.stringify(row.parameters),
    JSON.stringify(row.result),
    row.quality === undefined || row.quality === null ? null : JSON.stringify(row.quality),
    row.attempts,
    row.durationMs,
  ];
  try {
    const { rowCount } = await db.query(
      `INSERT INTO ${table(options, 'job_results')}
         (job_id, queue, organization, dataset_id, kind, parameters, result, quality, attempts, duration_ms)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb, $8::jsonb, $9, $10)
       ON CONFLICT (job_id) DO NOTHING`,
      values,
    );
    return { inserted: rowCount === 1 };
  } catch (error) {
    if (sqlState(error) === '23503' && row.datasetId != null) throw new DatasetNotFoundError(row.datasetId, { cause: error });
    throw error;
  }
}

interface ResultRecord {
  job_id: string;
  queue: string;
  organization: string;
  dataset_id: string | null;
  kind: ResultKind;
  parameters: Record<string, unknown>;
  result: Record<string, unknown>;
  quality: QualityScores | null;
  attempts: number;
  duration_ms: number;
  created_at: Date;
}

/** A job's result, or null when there is none (or, given `organization`, none of that organisation). */
export async function getResult(db: Queryable, jobId: string, organization?: string, options?: SchemaOption): Promise<JobResult | null> {
  const { rows } = await db.query<ResultRecord>(
    `SELECT job_id, queue, organization, dataset_id, kind, parameters, result, quality, attempts, duration_ms, created_at
       FROM ${table(options, 'job_results')}
      WHERE job_id = $1 AND ($2::text IS NULL OR organization = $2)`,
    [jobId, organization ?? null],
  );
  const record = rows[0];
  if (record === undefined) return null;
  return {
    jobId: record.job_id,
    queue: record.queue,
    organization: record.organization,
    datasetId: record.dataset_id,
    kind: record.kind,
    parameters: record.parameters,
    result: record.result,
    quality: record.quality,
    attempts: record.attempts,
    durationMs: record.duration_ms,
    createdAt: record.created_at,
  };
}

/** Deletes a job's result (given `organization`, only if it is that organisation's). */
export async function deleteResult(db: Queryable, jobId: string, organization?: string, options?: SchemaOption): Promise<{ deleted: boolean }> {
  const { rowCount } = await db.query(`DELETE FROM ${table(options, 'job_results')} WHERE job_id = $1 AND ($2::text IS NULL OR organization = $2)`, [
    jobId,
    organization ?? null,
  ]);
  return { deleted: rowCount === 1 };
}
