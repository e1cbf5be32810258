/**
 * @insights/store/incidents — the alert responder's tables (incidents, their actions and
 * snapshots, queue pauses), apart from the job tables that every other service uses.
 */
import type { Queryable } from './sql.js';
import { dryRunPausesBy, markStale, type DryRunPause, type StaleIncident } from './incident-checks.js';
import {
  claimRateLimited,
  escalateDue,
  findIncident,
  hasAction,
  holdQueuePause,
  listIncidentActions,
  listIncidents,
  listIncidentSnapshots,
  listQueuePauses,
  markActed,
  queuePauseHolders,
  recordAction,
  recordAlert,
  releaseQueuePause,
  saveSnapshot,
  type AlertChange,
  type EscalateOptions,
  type Incident,
  type IncidentAction,
  type IncidentActionKind,
  type IncidentSnapshot,
  type IncidentStatus,
  type IncidentActionOutcome,
  type ObservedAlert,
  type QueuePause,
  type QueuePauseQuery,
  type RateLimitedKind,
} from './incidents.js';

export type {
  AlertChange,
  DryRunPause,
  Incident,
  IncidentAction,
  IncidentActionKind,
  IncidentActionOutcome,
  IncidentSnapshot,
  IncidentStatus,
  ObservedAlert,
  QueuePause,
  RateLimitedKind,
  StaleIncident,
};

/** The incident tables in one PostgreSQL schema, reached through one pool (or a client of a transaction). */
export class IncidentStore {
  private readonly at: { schema: string };

  /**
   * @param db the pool queries go through; the caller closes it
   * @param schema PostgreSQL schema holding the tables (default `public`)
   */
  constructor(
    readonly db: Queryable,
    readonly schema = 'public',
  ) {
    this.at = { schema };
  }

  /** Records one alert of a webhook: a new incident the first time its fingerprint and start are seen, else the change to the one it continues. */
  recordAlert(alert: ObservedAlert, now: Date): Promise<{ incident: Incident; change: AlertChange }> {
    return recordAlert(this.db, alert, now, this.at);
  }

  /** Claims the right to snapshot or notify for an incident: true only when the last one is at least `intervalMs` old. */
  claimRateLimited(incidentId: string, kind: RateLimitedKind, now: Date, intervalMs: number): Promise<boolean> {
    return claimRateLimited(this.db, incidentId, kind, now, intervalMs, this.at);
  }

  /** Notes that the responder acted on an incident; the first time starts the escalation clock. */
  markActed(incidentId: string, at: Date): Promise<void> {
    return markActed(this.db, incidentId, at, this.at);
  }

  /** Records an action; pause and escalate at most once per incident and target (false when one was recorded already). */
  recordAction(action: IncidentAction): Promise<boolean> {
    return recordAction(this.db, action, this.at);
  }

  /** Whether an incident has an action of this kind on this target. */
  hasAction(incidentId: string, action: IncidentActionKind, target: string): Promise<boolean> {
    return hasAction(this.db, incidentId, action, target, this.at);
  }

  /** The actions recorded for an incident, in the order they were taken. */
  listIncidentActions(incidentId: string): Promise<IncidentAction[]> {
    return listIncidentActions(this.db, incidentId, this.at);
  }

  /**
   * Saves a snapshot of the queues for an incident; with `claim`, only when the last one is at
   * least `claimIntervalMs` old (null otherwise).
   */
  saveSnapshot(incidentId: string, takenAt: Date, content: Record<string, unknown>, claim?: { claimIntervalMs: number }): Promise<string | null> {
    return saveSnapshot(this.db, incidentId, takenAt, content, claim ? { ...this.at, ...claim } : this.at);
  }

  /** The snapshots of an incident, oldest first. */
  listIncidentSnapshots(incidentId: string): Promise<IncidentSnapshot[]> {
    return listIncidentSnapshots(this.db, incidentId, this.at);
  }

  /** The incident of one firing of an alert, or null. */
  findIncident(fingerprint: string, startsAt: Date): Promise<Incident | null> {
    return findIncident(this.db, fingerprint, startsAt, this.at);
  }

  /** The most recent incidents (by first report), newest first, optionally only those of one status. */
  listIncidents(query: { status?: IncidentStatus; limit?: number } = {}): Promise<Incident[]> {
    return listIncidents(this.db, query, this.at);
  }

  /** Escalates, once each, the incidents still firing `afterMs` after the responder first acted on them; answers those escalated now. */
  escalateDue(now: Date, afterMs: number, outcome: IncidentActionOutcome, options: Omit<EscalateOptions, 'schema'> = {}): Promise<Incident[]> {
    return escalateDue(this.db, now, afterMs, outcome, { ...options, ...this.at });
  }

  /** Records that an incident holds a pause of a queue; answers how many held it before (0: pause the queue now). */
  holdQueuePause(queue: string, incidentId: string, at: Date): Promise<number> {
    return holdQueuePause(this.db, queue, incidentId, at, this.at);
  }

  /** How many incidents hold a queue's pause. */
  queuePauseHolders(queue: string): Promise<number> {
    return queuePauseHolders(this.db, queue, this.at);
  }

  /** The pauses the responder holds: all, or those the query selects. */
  listQueuePauses(query: QueuePauseQuery = {}): Promise<QueuePause[]> {
    return listQueuePauses(this.db, query, this.at);
  }

  /** Releases an incident's hold on a queue's pause; false when it held none. */
  releaseQueuePause(queue: string, incidentId: string): Promise<boolean> {
    return releaseQueuePause(this.db, queue, incidentId, this.at);
  }

  /** Marks `stale` every incident still firing that no delivery has reported for longer than `afterMs`; answers them. */
  markStale(now: Date, afterMs: number): Promise<StaleIncident[]> {
    return markStale(this.db, now, afterMs, this.at);
  }

  /** The pauses a dry run recorded at or before `by`, of incidents still firing, without a `resume` since. */
  dryRunPausesBy(by: Date): Promise<DryRunPause[]> {
    return dryRunPausesBy(this.db, by, this.at);
  }
}
