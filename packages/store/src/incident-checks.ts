import { table, type Queryable, type SchemaOption } from './sql.js';

// The responder's periodic check: incidents no delivery reports any more, and the pauses a dry run would lift.

/** An incident the check marked stale: its key, for `findIncident`, and when it was last reported. */
export interface StaleIncident {
  id: string;
  fingerprint: string;
  startsAt: Date;
  lastSeen: Date;
}

/**
 * Marks `stale`, in one statement, every incident still firing that no delivery has reported for
 * longer than `afterMs`; returns them. Idempotent: a stale incident is not firing, so is not
 * marked twice (a firing delivery makes it firing again, see `recordAlert`).
 */
export async function markStale(db: Queryable, now: Date, afterMs: number, options?: SchemaOption): Promise<StaleIncident[]> {
  const { rows } = await db.query<{ id: string; fingerprint: string; starts_at: Date; last_seen: Date }>(
    `UPDATE ${table(options, 'incidents')} SET status = 'stale'
      WHERE status = 'firing' AND last_seen < $1::timestamptz - $2::bigint * interval '1 millisecond'
      RETURNING id, fingerprint, starts_at, last_seen`,
    [now, afterMs],
  );
  return rows.map((r) => ({ id: r.id, fingerprint: r.fingerprint, startsAt: r.starts_at, lastSeen: r.last_seen })).sort((a, b) => Number(a.id) - Number(b.id));
}

/** A pause a dry run would have made and not yet lifted. */
export interface DryRunPause {
  incidentId: string;
  fingerprint: string;
  startsAt: Date;
  queue: string;
  pausedAt: Date;
}

/**
 * The pauses a dry run recorded (outcome `dry_run`) at or before `by`, of incidents still firing,
 * without a `resume` recorded since: what a real run would lift for RESPONDER_MAX_PAUSE.
 */
export async function dryRunPausesBy(db: Queryable, by: Date, options?: SchemaOption): Promise<DryRunPause[]> {
  const actions = table(options, 'incident_actions');
  const { rows } = await db.query<{ incident_id: string; fingerprint: string; starts_at: Date; target: string; at: Date }>(
    `SELECT a.incident_id, i.fingerprint, i.starts_at, a.target, a.at
       FROM ${actions} a JOIN ${table(options, 'incidents')} i ON i.id = a.incident_id
      WHERE a.action = 'pause' AND a.outcome = 'dry_run' AND a.at <= $1 AND i.status = 'firing'
        AND NOT EXISTS (SELECT 1 FROM ${actions} r WHERE r.incident_id = a.incident_id AND r.action = 'resume' AND r.target = a.target)
      ORDER BY a.incident_id, a.target`,
    [by],
  );
  return rows.map((r) => ({ incidentId: r.incident_id, fingerprint: r.fingerprint, startsAt: r.starts_at, queue: r.target, pausedAt: r.at }));
}
