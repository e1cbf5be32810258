import { table, type Queryable, type SchemaOption } from './sql.js';

/** Whether Alertmanager reports an alert as still firing or resolved. */
type AlertStatus = 'firing' | 'resolved';

/**
 * Where an incident stands: as Alertmanager last reported it, or `stale` — reported firing, but not
 * reported at all for longer than the responder waits (an alert that resolves while silenced or
 * inhibited gets no resolved notification), so no longer taken as firing.
 */
export type IncidentStatus = AlertStatus | 'stale';

/** What the alert responder does about an incident. */
export type IncidentActionKind = 'snapshot' | 'pause' | 'resume' | 'notify' | 'escalate';

/** How an action ended: done, failed, nothing to do, or only logged (dry run). */
export type IncidentActionOutcome = 'ok' | 'failed' | 'skipped' | 'dry_run';

/** One alert as Alertmanager reported it, reduced to the labels and annotations the responder keeps. */
export interface ObservedAlert {
  fingerprint: string;
  startsAt: Date;
  status: AlertStatus;
  alertname: string;
  severity: string | null;
  service: string | null;
  queue: string | null;
  summary: string | null;
  /** Alertmanager's endsAt, kept once the alert is resolved. */
  endsAt: Date | null;
}

/** An incident: one firing of one alert, from first report to resolution. */
export interface Incident extends Omit<ObservedAlert, 'status'> {
  id: string;
  status: IncidentStatus;
  /** Whether the alert was ever received firing (only then is its resolution summarised). */
  seenFiring: boolean;
  firstSeen: Date;
  lastSeen: Date;
  actedAt: Date | null;
  lastSnapshotAt: Date | null;
  lastNotifiedAt: Date | null;
  needsPerson: boolean;
  escalatedAt: Date | null;
}

/** What recording an alert changed: `reopened` is a stale incident reported firing again. */
export type AlertChange = 'new' | 'resolved' | 'reopened' | 'unchanged';

/** An action taken (or, in a dry run, not taken) on an incident. */
export interface IncidentAction {
  incidentId: string;
  action: IncidentActionKind;
  /** A queue name for pause and resume, empty otherwise. */
  target: string;
  outcome: IncidentActionOutcome;
  at: Date;
  detail: Record<string, unknown>;
}

/** A diagnostic snapshot stored for an incident. */
export interface IncidentSnapshot {
  id: string;
  incidentId: string;
  takenAt: Date;
  content: Record<string, unknown>;
}

/** A timestamp column the responder uses as a per-incident rate limit. */
export type RateLimitedKind = 'snapshot' | 'notify';

interface IncidentRow {
  id: string;
  fingerprint: string;
  starts_at: Date;
  status: IncidentStatus;
  alertname: string;
  severity: string | null;
  service: string | null;
  queue: string | null;
  summary: string | null;
  ends_at: Date | null;
  first_seen: Date;
  last_seen: Date;
  acted_at: Date | null;
  last_snapshot_at: Date | null;
  last_notified_at: Date | null;
  needs_person: boolean;
  escalated_at: Date | null;
  seen_firing: boolean;
}

const COLUMNS = `id, fingerprint, starts_at, status, alertname, severity, service, queue, summary, ends_at, first_seen,
  last_seen, acted_at, last_snapshot_at, last_notified_at, needs_person, escalated_at, seen_firing`;

function incidentOf(r: IncidentRow): Incident {
  return {
    id: r.id,
    fingerprint: r.fingerprint,
    startsAt: r.starts_at,
    status: r.status,
    alertname: r.alertname,
    severity: r.severity,
    service: r.service,
    queue: r.queue,
    summary: r.summary,
    endsAt: r.ends_at,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    actedAt: r.acted_at,
    lastSnapshotAt: r.last_snapshot_at,
    lastNotifiedAt: r.last_notified_at,
    needsPerson: r.needs_person,
    escalatedAt: r.escalated_at,
    seenFiring: r.seen_firing,
  };
}

/**
 * Records one alert of a webhook: a new incident the first time its fingerprint and start are
 * seen, otherwise only `last_seen` moves on (never back). `resolved` is final, so a late retry of
 * an older firing notification cannot reopen the incident; a redelivery at the same instant
 * changes nothing. A `stale` incident takes the status reported (firing again: `reopened`).
 */
export async function recordAlert(
  db: Queryable,
  alert: ObservedAlert,
  now: Date,
  options?: SchemaOption,
): Promise<{ incident: Incident; change: AlertChange }> {
  const incidents = table(options, 'incidents');
  const { rows } = await db.query<IncidentRow & { inserted: boolean; previous_status: IncidentStatus | null }>(
    `WITH previous AS (SELECT status FROM ${incidents} WHERE fingerprint = $1 AND starts_at = $2)
     INSERT INTO ${incidents} AS i (fingerprint, starts_at, status, alertname, severity, service, queue, summary, ends_at, first_seen, last_seen, seen_firing)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, $3 = 'firing')
     ON CONFLICT (fingerprint, starts_at) DO UPDATE SET
       last_seen = GREATEST(i.last_seen, EXCLUDED.last_seen),
       status = CASE WHEN i.status = 'resolved' THEN 'resolved' ELSE EXCLUDED.status END,
       ends_at = COALESCE(i.ends_at, EXCLUDED.ends_at),
       seen_firing = i.seen_firing OR EXCLUDED.seen_firing
     RETURNING ${COLUMNS}, (xmax = 0) AS inserted, (SELECT status FROM previous) AS previous_status`,
    [
      alert.fingerprint,
      alert.startsAt,
      alert.status,
      alert.alertname,
      alert.severity,
      alert.service,
      alert.queue,
      alert.summary,
      alert.status === 'resolved' ? alert.endsAt : null,
      now,
    ],
  );
  const row = rows[0]!;
  const previous = row.previous_status;
  const change: AlertChange = row.inserted
    ? 'new'
    : previous !== 'resolved' && row.status === 'resolved'
      ? 'resolved'
      : previous === 'stale' && row.status === 'firing'
        ? 'reopened'
        : 'unchanged';
  return { incident: incidentOf(row), change };
}

/**
 * Claims the right to snapshot or notify for an incident: true (and the time recorded) only when
 * the last one is at least `intervalMs` old. One conditional UPDATE, so that concurrent claims
 * cannot both win.
 */
export async function claimRateLimited(
  db: Queryable,
  incidentId: string,
  kind: RateLimitedKind,
  now: Date,
  intervalMs: number,
  options?: SchemaOption,
): Promise<boolean> {
  const column = kind === 'snapshot' ? 'last_snapshot_at' : 'last_notified_at';
  const { rowCount } = await db.query(
    `UPDATE ${table(options, 'incidents')} SET ${column} = $2
      WHERE id = $1 AND (${column} IS NULL OR ${column} <= $2::timestamptz - $3::double precision * interval '1 millisecond')`,
    [incidentId, now, intervalMs],
  );
  return rowCount === 1;
}

/** Notes that the responder acted on an incident; the first time starts the escalation clock. */
export async function markActed(db: Queryable, incidentId: string, at: Date, options?: SchemaOption): Promise<void> {
  await db.query(`UPDATE ${table(options, 'incidents')} SET acted_at = COALESCE(acted_at, $2) WHERE id = $1`, [incidentId, at]);
}

/**
 * Records an action. Pause and escalate are recorded at most once per incident and target: false
 * when one was recorded already (and this one is dropped).
 */
export async function recordAction(db: Queryable, action: IncidentAction, options?: SchemaOption): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO ${table(options, 'incident_actions')} (incident_id, action, target, outcome, at, detail)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (incident_id, action, target) WHERE action IN ('pause', 'escalate') DO NOTHING`,
    [action.incidentId, action.action, action.target, action.outcome, action.at, JSON.stringify(action.detail)],
  );
  return rowCount === 1;
}

/** Whether an action of this kind on this target was recorded for the incident. */
export async function hasAction(db: Queryable, incidentId: string, action: IncidentActionKind, target: string, options?: SchemaOption): Promise<boolean> {
  const { rowCount } = await db.query(`SELECT 1 FROM ${table(options, 'incident_actions')} WHERE incident_id = $1 AND action = $2 AND target = $3 LIMIT 1`, [
    incidentId,
    action,
    target,
  ]);
  return rowCount === 1;
}

/** The actions recorded for an incident, in the order they were taken. */
export async function listIncidentActions(db: Queryable, incidentId: string, options?: SchemaOption): Promise<IncidentAction[]> {
  const { rows } = await db.query<{
    incident_id: string;
    action: IncidentActionKind;
    target: string;
    outcome: IncidentActionOutcome;
    at: Date;
    detail: Record<string, unknown>;
  }>(`SELECT incident_id, action, target, outcome, at, detail FROM ${table(options, 'incident_actions')} WHERE incident_id = $1 ORDER BY id`, [incidentId]);
  return rows.map((r) => ({ incidentId: r.incident_id, action: r.action, target: r.target, outcome: r.outcome, at: r.at, detail: r.detail }));
}

/** How {@link saveSnapshot} takes the snapshot rate limit. */
export interface SnapshotClaim {
  /** Save only when the last snapshot is at least this old, in ms (as `claimRateLimited`). */
  claimIntervalMs: number;
}

/**
 * Stores a diagnostic snapshot; returns its id. With `claimIntervalMs`, claims the snapshot rate
 * limit (and starts the escalation clock, as `markActed`) in the same statement: the snapshot is
 * saved only when the claim succeeds (else null), and a save that fails leaves the claim untaken,
 * so that a retried delivery takes the snapshot.
 */
export async function saveSnapshot(db: Queryable, incidentId: string, takenAt: Date, content: Record<string, unknown>, options?: SchemaOption): Promise<string>;
export async function saveSnapshot(
  db: Queryable,
  incidentId: string,
  takenAt: Date,
  content: Record<string, unknown>,
  options: SchemaOption & SnapshotClaim,
): Promise<string | null>;
export async function saveSnapshot(
  db: Queryable,
  incidentId: string,
  takenAt: Date,
  content: Record<string, unknown>,
  options?: SchemaOption & Partial<SnapshotClaim>,
): Promise<string | null> {
  const snapshots = table(options, 'incident_snapshots');
  if (options?.claimIntervalMs === undefined) {
    const { rows } = await db.query<{ id: string }>(`INSERT INTO ${snapshots} (incident_id, taken_at, content) VALUES ($1, $2, $3) RETURNING id`, [
      incidentId,
      takenAt,
      JSON.stringify(content),
    ]);
    return rows[0]!.id;
  }
  const { rows } = await db.query<{ id: string }>(
    `WITH claimed AS (
       UPDATE ${table(options, 'incidents')} SET last_snapshot_at = $2, acted_at = COALESCE(acted_at, $2)
        WHERE id = $1 AND (last_snapshot_at IS NULL OR last_snapshot_at <= $2::timestamptz - $4::double precision * interval '1 millisecond')
        RETURNING id
     )
     INSERT INTO ${snapshots} (incident_id, taken_at, content) SELECT id, $2, $3 FROM claimed RETURNING id`,
    [incidentId, takenAt, JSON.stringify(content), options.claimIntervalMs],
  );
  return rows[0]?.id ?? null;
}

/** The snapshots of an incident, oldest first. */
export async function listIncidentSnapshots(db: Queryable, incidentId: string, options?: SchemaOption): Promise<IncidentSnapshot[]> {
  const { rows } = await db.query<{ id: string; incident_id: string; taken_at: Date; content: Record<string, unknown> }>(
    `SELECT id, incident_id, taken_at, content FROM ${table(options, 'incident_snapshots')} WHERE incident_id = $1 ORDER BY taken_at, id`,
    [incidentId],
  );
  return rows.map((r) => ({ id: r.id, incidentId: r.incident_id, takenAt: r.taken_at, content: r.content }));
}

/** The incident of one alert firing, or null. */
export async function findIncident(db: Queryable, fingerprint: string, startsAt: Date, options?: SchemaOption): Promise<Incident | null> {
  const { rows } = await db.query<IncidentRow>(`SELECT ${COLUMNS} FROM ${table(options, 'incidents')} WHERE fingerprint = $1 AND starts_at = $2`, [
    fingerprint,
    startsAt,
  ]);
  return rows[0] ? incidentOf(rows[0]) : null;
}

/** The most recent incidents (by first report), newest first, optionally only those of one status. */
export async function listIncidents(db: Queryable, query: { status?: IncidentStatus; limit?: number } = {}, options?: SchemaOption): Promise<Incident[]> {
  const { rows } = await db.query<IncidentRow>(
    `SELECT ${COLUMNS} FROM ${table(options, 'incidents')} WHERE ($1::text IS NULL OR status = $1) ORDER BY first_seen DESC, id DESC LIMIT $2`,
    [query.status ?? null, query.limit ?? 100],
  );
  return rows.map(incidentOf);
}

/** Which incidents {@link escalateDue} considers, and what it records. */
export interface EscalateOptions extends SchemaOption {
  /** Only these incidents (default: every one). */
  only?: readonly string[];
  /** The `escalate` action's detail (default `{ after_ms }`). */
  detail?: Record<string, unknown>;
}

/**
 * Escalates, in one statement, every incident still firing `afterMs` after the responder first
 * acted on it: `needs_person` set and an `escalate` action recorded with `outcome`. Idempotent: an
 * incident is escalated once. Returns the incidents escalated by this call.
 */
export async function escalateDue(db: Queryable, now: Date, afterMs: number, outcome: IncidentActionOutcome, options?: EscalateOptions): Promise<Incident[]> {
  const { rows } = await db.query<IncidentRow>(
    `WITH due AS (
       UPDATE ${table(options, 'incidents')} SET needs_person = true, escalated_at = $1
        WHERE status = 'firing' AND NOT needs_person AND acted_at IS NOT NULL AND acted_at <= $1::timestamptz - $2::bigint * interval '1 millisecond'
          AND ($4::bigint[] IS NULL OR id = ANY ($4::bigint[]))
        RETURNING ${COLUMNS}
     ), recorded AS (
       INSERT INTO ${table(options, 'incident_actions')} (incident_id, action, target, outcome, at, detail)
       SELECT id, 'escalate', '', $3, $1, COALESCE($5::jsonb, jsonb_build_object('after_ms', $2::bigint)) FROM due
       ON CONFLICT (incident_id, action, target) WHERE action IN ('pause', 'escalate') DO NOTHING
     )
     SELECT * FROM due ORDER BY id`,
    [now, afterMs, outcome, options?.only ? [...options.only] : null, options?.detail ? JSON.stringify(options.detail) : null],
  );
  return rows.map(incidentOf);
}

/**
 * Records that an incident holds a pause of a queue. Returns how many incidents held it before
 * (0: the queue must be paused now). A hold joining others takes their `paused_at`, so that
 * `paused_at` is when the queue was paused, however its holders come and go.
 */
export async function holdQueuePause(db: Queryable, queue: string, incidentId: string, at: Date, options?: SchemaOption): Promise<number> {
  const pauses = table(options, 'queue_pauses');
  const { rows } = await db.query<{ others: number }>(
    `WITH added AS (
       INSERT INTO ${pauses} (queue, incident_id, paused_at)
       VALUES ($1, $2, COALESCE((SELECT min(paused_at) FROM ${pauses} WHERE queue = $1), $3)) ON CONFLICT DO NOTHING
     )
     SELECT count(*)::int AS others FROM ${pauses} WHERE queue = $1 AND incident_id <> $2`,
    [queue, incidentId, at],
  );
  return rows[0]!.others;
}

/** How many incidents hold a pause of a queue. */
export async function queuePauseHolders(db: Queryable, queue: string, options?: SchemaOption): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table(options, 'queue_pauses')} WHERE queue = $1`, [queue]);
  return rows[0]!.n;
}

/** A queue paused by the responder on behalf of an incident. */
export interface QueuePause {
  queue: string;
  incidentId: string;
  /** When the queue was paused (a hold joining others takes their time). */
  pausedAt: Date;
  /** The alert and status of the holding incident: a resolved or stale one's pause is due to be released. */
  alertname: string;
  status: IncidentStatus;
  /** The holding incident's key, for `findIncident`. */
  fingerprint: string;
  startsAt: Date;
}

/** Which pauses {@link listQueuePauses} lists; the conditions given all apply. */
export interface QueuePauseQuery {
  /** Those of one incident. */
  incidentId?: string;
  /** Only those of resolved incidents. */
  resolvedOnly?: boolean;
  /** Only those of incidents no longer firing (resolved or stale). */
  notFiring?: boolean;
  /** Only those of queues paused at or before this time (the oldest hold of the queue). */
  pausedBy?: Date;
}

/** The pauses the responder holds: all, or those the query selects. */
export async function listQueuePauses(db: Queryable, query: QueuePauseQuery = {}, options?: SchemaOption): Promise<QueuePause[]> {
  const pauses = table(options, 'queue_pauses');
  const { rows } = await db.query<{
    queue: string;
    incident_id: string;
    paused_at: Date;
    alertname: string;
    status: IncidentStatus;
    fingerprint: string;
    starts_at: Date;
  }>(
    `SELECT p.queue, p.incident_id, p.paused_at, i.alertname, i.status, i.fingerprint, i.starts_at
       FROM ${pauses} p JOIN ${table(options, 'incidents')} i ON i.id = p.incident_id
      WHERE ($1::bigint IS NULL OR p.incident_id = $1) AND (NOT $2 OR i.status = 'resolved') AND (NOT $3 OR i.status <> 'firing')
        AND ($4::timestamptz IS NULL OR p.queue IN (SELECT queue FROM ${pauses} GROUP BY queue HAVING min(paused_at) <= $4))
      ORDER BY p.incident_id, p.queue`,
    [query.incidentId ?? null, query.resolvedOnly ?? false, query.notFiring ?? false, query.pausedBy ?? null],
  );
  return rows.map((r) => ({
    queue: r.queue,
    incidentId: r.incident_id,
    pausedAt: r.paused_at,
    alertname: r.alertname,
    status: r.status,
    fingerprint: r.fingerprint,
    startsAt: r.starts_at,
  }));
}

/** Releases an incident's hold on a queue pause; false when it held none. */
export async function releaseQueuePause(db: Queryable, queue: string, incidentId: string, options?: SchemaOption): Promise<boolean> {
  const { rowCount } = await db.query(`DELETE FROM ${table(options, 'queue_pauses')} WHERE queue = $1 AND incident_id = $2`, [queue, incidentId]);
  return rowCount === 1;
}
