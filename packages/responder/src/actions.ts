import type { Logger } from 'pino';
import {
  claimRateLimited,
  hasAction,
  holdQueuePause,
  listIncidentActions,
  listQueuePauses,
  markActed,
  queuePauseHolders,
  recordAction,
  releaseQueuePause,
  saveSnapshot,
  type Incident,
  type IncidentActionKind,
  type IncidentActionOutcome,
  type Queryable,
} from '@insights/store';
import type { ResponderMetrics } from './metrics.js';
import { alertSummary, type DoneAction, type Notifier, type SlackMessage } from './notify.js';
import type { QueueControl } from './queues.js';

/** Timing and mode of the responder's actions. */
export interface ActionSettings {
  /** At most one snapshot per incident this often, in ms. */
  snapshotIntervalMs: number;
  /** At most one firing summary per incident this often, in ms. */
  notifyIntervalMs: number;
  /** Record and log only (outcome `dry_run`). */
  dryRun: boolean;
}

/** What the actions work with. */
export interface ActionDeps {
  db: Queryable;
  schema: string;
  queues: QueueControl;
  notifier: Notifier | undefined;
  settings: ActionSettings;
  log: Logger;
  metrics: ResponderMetrics;
}

/** The incident fields an action needs. */
type Subject = Pick<Incident, 'id' | 'alertname'>;

/** Why an action failed, for the record: a message, never a stack. */
function reason(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 300);
}

/**
 * The responder's actions. Each is idempotent — snapshots and summaries rate-limited per incident
 * by a claim in PostgreSQL, a pause taken once per incident and queue, a resume done by releasing
 * the incident's hold on the pause — and each records its outcome; none throws for a failure of
 * Redis or of the webhook, only for one of PostgreSQL (the delivery then fails and is retried).
 */
export function createActions(deps: ActionDeps) {
  const { db, queues, notifier, settings, log, metrics } = deps;
  const opts = { schema: deps.schema };
  const live: IncidentActionOutcome = 'ok';

  async function record(incident: Subject, action: IncidentActionKind, target: string, outcome: IncidentActionOutcome, at: Date, detail: Record<string, unknown> = {}): Promise<DoneAction[]> {
    const inserted = await recordAction(db, { incidentId: incident.id, action, target, outcome, at, detail }, opts);
    if (!inserted) return [];
    metrics.actionTaken(action, outcome);
    const fields = { incident_id: incident.id, alertname: incident.alertname, action, ...(target ? { target } : {}), outcome, ...detail };
    if (outcome === 'dry_run') log.info(fields, `dry run: would ${action}`);
    else if (outcome === 'failed') log.warn(fields, `${action} failed`);
    else log.info(fields, `${action} ${outcome === 'ok' ? 'done' : outcome}`);
    return [{ action, target, outcome }];
  }

  async function snapshot(incident: Subject, now: Date): Promise<DoneAction[]> {
    if (!(await claimRateLimited(db, incident.id, 'snapshot', now, settings.snapshotIntervalMs, opts))) return [];
    await markActed(db, incident.id, now, opts);
    if (settings.dryRun) return record(incident, 'snapshot', '', 'dry_run', now);
    let content;
    try {
      content = await queues.snapshot(now);
    } catch (error) {
      return record(incident, 'snapshot', '', 'failed', now, { error: reason(error) });
    }
    const id = await saveSnapshot(db, incident.id, now, content as unknown as Record<string, unknown>, opts);
    return record(incident, 'snapshot', '', live, now, { snapshot_id: id });
  }

  async function pause(incident: Subject, queue: string, now: Date): Promise<DoneAction[]> {
    if (await hasAction(db, incident.id, 'pause', queue, opts)) return [];
    await markActed(db, incident.id, now, opts);
    if (settings.dryRun) return record(incident, 'pause', queue, 'dry_run', now);
    try {
      if ((await queuePauseHolders(db, queue, opts)) === 0 && (await queues.isPaused(queue))) {
        return record(incident, 'pause', queue, 'skipped', now, { reason: 'already paused, not by the responder: it stays as it is' });
      }
      // The hold first: should the pause then fail, releasing the hold later only resumes a running queue.
      const others = await holdQueuePause(db, queue, incident.id, now, opts);
      if (others === 0) await queues.pause(queue);
      return record(incident, 'pause', queue, live, now, { other_holders: others });
    } catch (error) {
      return record(incident, 'pause', queue, 'failed', now, { error: reason(error) });
    }
  }

  async function resume(incident: Subject, now: Date): Promise<DoneAction[]> {
    const done: DoneAction[] = [];
    if (settings.dryRun) {
      for (const paused of (await listIncidentActions(db, incident.id, opts)).filter((a) => a.action === 'pause' && a.outcome === 'dry_run')) {
        if (!(await hasAction(db, incident.id, 'resume', paused.target, opts))) done.push(...(await record(incident, 'resume', paused.target, 'dry_run', now)));
      }
      return done;
    }
    for (const { queue } of await listQueuePauses(db, { incidentId: incident.id }, opts)) {
      const holders = await queuePauseHolders(db, queue, opts);
      try {
        if (holders <= 1) await queues.resume(queue);
      } catch (error) {
        // The hold stays: the next delivery or check tries again.
        done.push(...(await record(incident, 'resume', queue, 'failed', now, { error: reason(error) })));
        continue;
      }
      await releaseQueuePause(db, queue, incident.id, opts);
      const outcome = holders <= 1 ? live : 'skipped';
      done.push(...(await record(incident, 'resume', queue, outcome, now, holders <= 1 ? {} : { reason: 'other incidents still hold the pause', other_holders: holders - 1 })));
    }
    return done;
  }

  async function post(incident: Subject, message: SlackMessage, now: Date, detail: Record<string, unknown>): Promise<DoneAction[]> {
    if (!notifier) return [];
    if (settings.dryRun) return record(incident, 'notify', '', 'dry_run', now, detail);
    const result = await notifier(message);
    if (result.ok) return record(incident, 'notify', '', live, now, { ...detail, status: result.status });
    return record(incident, 'notify', '', 'failed', now, { ...detail, error: result.error, ...(result.status ? { status: result.status } : {}) });
  }

  async function notify(incident: Incident, kind: 'firing' | 'resolved', done: readonly DoneAction[], now: Date): Promise<DoneAction[]> {
    if (!notifier) return [];
    if (kind === 'firing' && !(await claimRateLimited(db, incident.id, 'notify', now, settings.notifyIntervalMs, opts))) return [];
    return post(incident, alertSummary(incident, kind, done), now, { kind });
  }

  return { record, snapshot, pause, resume, notify, post };
}

/** The responder's actions, as `createActions` makes them. */
export type Actions = ReturnType<typeof createActions>;
