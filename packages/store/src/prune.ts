import { InvalidDurationError } from './errors.js';
import { table, type Queryable, type SchemaOption } from './sql.js';

const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 } as const;
/** Longest retention accepted: 100 years (36,500 days); beyond, the cutoff leaves PostgreSQL's timestamp range. */
const MAX_DURATION_MS = 36_500 * UNIT_MS.d;
const DURATION = /^(\d+)([dhms])$/;

/** Options of `pruneOlderThan`. */
export interface PruneOptions extends SchemaOption {
  /** The time the age is measured from (default: the database's `now()`, the clock that stamped the rows). */
  now?: Date;
}

/** How many rows `pruneOlderThan` deleted. */
export interface PruneResult {
  results: number;
  datasets: number;
  /** Rows of the API's job index (`api_jobs`): jobs the queue let go of long ago. */
  jobIndex: number;
  auditEntries: number;
  /** Incidents no longer firing (with their actions and snapshots), holding no queue paused. */
  incidents: number;
}

/**
 * Retention: deletes everything older than `olderThanMs` — results, the data sets last used
 * before that cutoff that no remaining result refers to, the API's job index rows and audit
 * entries, and incidents that ended (or went stale) before it. One statement, so a single cutoff
 * and a single snapshot serve all of them.
 */
export async function pruneOlderThan(db: Queryable, olderThanMs: number, options: PruneOptions = {}): Promise<PruneResult> {
  if (!(olderThanMs >= 0 && olderThanMs <= MAX_DURATION_MS)) {
    throw new InvalidDurationError(`retention must be between 0 and ${MAX_DURATION_MS} ms (100 years), got ${olderThanMs}`);
  }
  const results = table(options, 'job_results');
  const datasets = table(options, 'datasets');
  const incidents = table(options, 'incidents');
  // The data set delete cannot see the result delete (same snapshot), so it keeps data sets that
  // any result at or after the cutoff refers to rather than "any remaining result".
  const { rows } = await db.query<PruneResult>(
    `WITH cutoff AS (
       SELECT coalesce($1::timestamptz, now()) - $2::double precision * interval '1 millisecond' AS at
     ), pruned_results AS (
       DELETE FROM ${results} r USING cutoff c WHERE r.created_at < c.at RETURNING 1
     ), pruned_datasets AS (
       DELETE FROM ${datasets} d USING cutoff c
        WHERE d.last_used_at < c.at
          AND NOT EXISTS (SELECT 1 FROM ${results} r WHERE r.dataset_id = d.id AND r.created_at >= c.at)
       RETURNING 1
     ), pruned_index AS (
       DELETE FROM ${table(options, 'api_jobs')} j USING cutoff c WHERE j.created_at < c.at RETURNING 1
     ), pruned_audit AS (
       DELETE FROM ${table(options, 'audit_log')} a USING cutoff c WHERE a.at < c.at RETURNING 1
     ), pruned_incidents AS (
       DELETE FROM ${incidents} i USING cutoff c
        WHERE i.status <> 'firing' AND i.last_seen < c.at
          AND NOT EXISTS (SELECT 1 FROM ${table(options, 'queue_pauses')} p WHERE p.incident_id = i.id)
       RETURNING 1
     )
     SELECT (SELECT count(*) FROM pruned_results)::int AS results,
            (SELECT count(*) FROM pruned_datasets)::int AS datasets,
            (SELECT count(*) FROM pruned_index)::int AS "jobIndex",
            (SELECT count(*) FROM pruned_audit)::int AS "auditEntries",
            (SELECT count(*) FROM pruned_incidents)::int AS incidents`,
    [options.now ?? null, olderThanMs],
  );
  return rows[0]!;
}

/**
 * Reads a retention duration such as `180d`, `12h`, `30m` or `45s` (a whole positive number and
 * one unit, at most 100 years) as milliseconds, for `insights prune --older-than`.
 */
export function parseDuration(text: string): number {
  const match = DURATION.exec(text);
  if (match === null) {
    throw new InvalidDurationError(`invalid duration ${JSON.stringify(text)}: expected a whole number followed by d, h, m or s, such as 180d`);
  }
  const ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  if (ms === 0) throw new InvalidDurationError(`invalid duration ${JSON.stringify(text)}: must be more than zero`);
  if (ms > MAX_DURATION_MS) throw new InvalidDurationError(`invalid duration ${JSON.stringify(text)}: at most 36500d (100 years)`);
  return ms;
}
