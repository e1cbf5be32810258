import { table, type Queryable, type SchemaOption } from './sql.js';

/** A job the API accepted, as its organisation's index records it. */
export interface NewIndexedJob {
  jobId: string;
  organization: string;
  kind: 'clustering' | 'team-formation';
  queue: string;
  datasetId: string;
  /** The clustering job a team formation submitted as a flow runs first. */
  childJobId?: string | null;
  people: number;
  /** The token that submitted it. */
  tokenId?: string | null;
  /** With an idempotency key: the fingerprint of the request (a hash, never the data). */
  requestFingerprint?: string | null;
}

/** An indexed job. */
export interface IndexedJob extends Required<Omit<NewIndexedJob, 'requestFingerprint'>> {
  childJobId: string | null;
  tokenId: string | null;
  /** Position in the index: later submissions have larger values (the listing's cursor). */
  seq: string;
  createdAt: Date;
  /** Whether a result row exists for the job. */
  hasResult: boolean;
}

interface IndexRecord {
  job_id: string;
  seq: string;
  organization: string;
  kind: 'clustering' | 'team-formation';
  queue: string;
  dataset_id: string;
  child_job_id: string | null;
  people: number;
  token_id: string | null;
  created_at: Date;
  has_result: boolean;
}

/**
 * Records a job in its organisation's index. A second call with the same job id (a repeated
 * submission with the same idempotency key) changes nothing and answers `inserted: false`, with
 * the fingerprint the first call recorded, so that the caller can tell a repetition from a reuse.
 */
export async function indexJob(db: Queryable, job: NewIndexedJob, options?: SchemaOption): Promise<{ inserted: boolean; requestFingerprint: string | null }> {
  const { rows } = await db.query<{ inserted: boolean; request_fingerprint: string | null }>(
    `WITH added AS (
       INSERT INTO ${table(options, 'api_jobs')} (job_id, organization, kind, queue, dataset_id, child_job_id, people, token_id, request_fingerprint)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (job_id) DO NOTHING
       RETURNING request_fingerprint)
     SELECT true AS inserted, request_fingerprint FROM added
     UNION ALL
     SELECT false, request_fingerprint FROM ${table(options, 'api_jobs')} WHERE job_id = $1 AND NOT EXISTS (SELECT 1 FROM added)`,
    [job.jobId, job.organization, job.kind, job.queue, job.datasetId, job.childJobId ?? null, job.people, job.tokenId ?? null, job.requestFingerprint ?? null],
  );
  const row = rows[0];
  if (row) return { inserted: row.inserted, requestFingerprint: row.request_fingerprint };
  // A twin inserted the row while this statement waited on it: its snapshot cannot see that row,
  // a new statement can.
  const again = await db.query<{ request_fingerprint: string | null }>(`SELECT request_fingerprint FROM ${table(options, 'api_jobs')} WHERE job_id = $1`, [
    job.jobId,
  ]);
  return { inserted: false, requestFingerprint: again.rows[0]?.request_fingerprint ?? null };
}

function select(options: SchemaOption | undefined): string {
  return `SELECT j.job_id, j.seq::text AS seq, j.organization, j.kind, j.queue, j.dataset_id, j.child_job_id, j.people, j.token_id, j.created_at,
                 EXISTS (SELECT 1 FROM ${table(options, 'job_results')} r WHERE r.job_id = j.job_id) AS has_result
            FROM ${table(options, 'api_jobs')} j`;
}

/** An organisation's indexed job, or null (also when the job is another organisation's). */
export async function findIndexedJob(db: Queryable, jobId: string, organization: string, options?: SchemaOption): Promise<IndexedJob | null> {
  const { rows } = await db.query<IndexRecord>(`${select(options)} WHERE j.job_id = $1 AND j.organization = $2`, [jobId, organization]);
  return rows[0] === undefined ? null : recordToJob(rows[0]);
}

/** A page of an organisation's index, newest first, starting below `beforeSeq` when given. */
export async function listIndexedJobs(
  db: Queryable,
  organization: string,
  page: { limit: number; beforeSeq?: string | null },
  options?: SchemaOption,
): Promise<IndexedJob[]> {
  const { rows } = await db.query<IndexRecord>(
    `${select(options)} WHERE j.organization = $1 AND ($2::bigint IS NULL OR j.seq < $2::bigint) ORDER BY j.seq DESC LIMIT $3`,
    [organization, page.beforeSeq ?? null, page.limit],
  );
  return rows.map(recordToJob);
}

/** Removes a job from the index only (its enqueue failed, so it never existed). */
export async function unindexJob(db: Queryable, jobId: string, organization: string, options?: SchemaOption): Promise<void> {
  await db.query(`DELETE FROM ${table(options, 'api_jobs')} WHERE job_id = $1 AND organization = $2`, [jobId, organization]);
}

/** What `forgetJob` deleted. */
export interface ForgetResult {
  /** Result rows deleted (the job's, and its flow child's). */
  results: number;
  /** Whether the data set went too (no other indexed job or result refers to it). */
  datasetDeleted: boolean;
  indexed: boolean;
}

/**
 * The right to be forgotten, in one statement: deletes the results of the job and of its flow
 * child, its index row, and its data set unless another indexed job or result still refers to it.
 * Only rows of `organization` are touched.
 */
export async function forgetJob(db: Queryable, jobId: string, organization: string, options?: SchemaOption): Promise<ForgetResult> {
  const jobs = table(options, 'api_jobs');
  const results = table(options, 'job_results');
  // Every part sees the same snapshot, so the NOT EXISTS tests leave out the rows deleted here.
  const { rows } = await db.query<{ results: number; indexed: boolean; dataset_deleted: boolean }>(
    `WITH target AS (
       SELECT job_id, child_job_id, dataset_id FROM ${jobs} WHERE job_id = $1 AND organization = $2
     ), ids AS (
       SELECT array_remove(ARRAY[$1::text, (SELECT child_job_id FROM target)], NULL) AS all_ids
     ), deleted_results AS (
       DELETE FROM ${results} r USING ids WHERE r.organization = $2 AND r.job_id = ANY (ids.all_ids) RETURNING r.dataset_id
     ), deleted_job AS (
       DELETE FROM ${jobs} j USING target t WHERE j.job_id = t.job_id RETURNING j.dataset_id
     ), deleted_dataset AS (
       DELETE FROM ${table(options, 'datasets')} d
        USING (SELECT dataset_id FROM target UNION SELECT dataset_id FROM deleted_results) gone, ids
        WHERE d.id = gone.dataset_id AND d.organization = $2
          AND NOT EXISTS (SELECT 1 FROM ${jobs} o WHERE o.dataset_id = d.id AND o.job_id <> $1)
          AND NOT EXISTS (SELECT 1 FROM ${results} o WHERE o.dataset_id = d.id AND o.job_id <> ALL (ids.all_ids))
       RETURNING d.id
     )
     SELECT (SELECT count(*)::int FROM deleted_results) AS results,
            EXISTS (SELECT 1 FROM deleted_job) AS indexed,
            EXISTS (SELECT 1 FROM deleted_dataset) AS dataset_deleted`,
    [jobId, organization],
  );
  const row = rows[0]!;
  return { results: row.results, datasetDeleted: row.dataset_deleted, indexed: row.indexed };
}

function recordToJob(record: IndexRecord): IndexedJob {
  return {
    jobId: record.job_id,
    seq: record.seq,
    organization: record.organization,
    kind: record.kind,
    queue: record.queue,
    datasetId: record.dataset_id,
    childJobId: record.child_job_id,
    people: record.people,
    tokenId: record.token_id,
    createdAt: record.created_at,
    hasResult: record.has_result,
  };
}
