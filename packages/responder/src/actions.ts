import type { Logger } from 'pino';
import type { Incident, IncidentActionKind, IncidentActionOutcome, IncidentStore } from '@insights/store/incidents';
import type { ResponderMetrics } from './metrics.js';
import { alertSummary, type DoneAction, type Notifier, type SlackMessage } from './notify.js';
import type { QueueControl } from './queues.js';

/** Timing and mode of the responder's actions. */
interface ActionSettings {
  /** At most one snapshot per incident this often, in ms. */
  snapshotIntervalMs: number;
  /** At most one firing summary per incident this often, in ms. */
  notifyIntervalMs: number;
  /** Record and log only (outcome `dry_run`). */
  dryRun: boolean;
}

/** What the actions work with. */
export interface ActionDeps {
  /** The incident tables. */
  incidents: IncidentStore;
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
  const { incidents, queues, notifier, settings, log, metrics } = deps;
  const live: IncidentActionOutcome = 'ok';

  async function record(
    incident: Subject,
    action: IncidentActionKind,
    target: string,
    outcome: IncidentActionOutcome,
    at: Date,
    detail: Record<string, unknown> = {},
  ): Promise<DoneAction[]> {
    const inserted = await incidents.recordAction({ incidentId: incident.id, action, target, outcome, at, detail });
    if (!inserted) return [];
    metrics.actionTaken(action, outcome);
    const fields = { incident_id: incident.id, alertname: incident.alertname, action, ...(target ? { target } : {}), outcome, ...detail };
    if (outcome === 'dry_run') log.info(fields, `dry run: would ${action}`);
    else if (outcome === 'failed') log.warn(fields, `${action} failed`);
    else log.info(fields, `${action} ${outcome === 'ok' ? 'done' : outcome}`);
    return [{ action, target, outcome }];
  }

  /**
   * A snapshot, at most one per interval. The rate limit is claimed in the statement that saves the
   * snapshot, so that a save that fails (and the delivery with it) leaves it for the retry; a
   * snapshot Redis cannot give is claimed too, so that a failing Redis is not asked on every
   * delivery. `lastSnapshotAt` (as recorded at the start of the delivery) only spares the queues a
   * collection the claim would refuse.
   */
  async function snapshot(incident: Subject & Pick<Incident, 'lastSnapshotAt'>, now: Date): Promise<DoneAction[]> {
    if (incident.lastSnapshotAt !== null && now.getTime() - incident.lastSnapshotAt.getTime() < settings.snapshotIntervalMs) return [];
    const claim = async () => {
      if (!(await incidents.claimRateLimited(incident.id, 'snapshot', now, settings.snapshotIntervalMs))) return false;
      await incidents.markActed(incident.id, now);
      return true;
    };
    if (settings.dryRun) return (await claim()) ? record(incident, 'snapshot', '', 'dry_run', now) : [];
    let content;
    try {
      content = await queues.snapshot(now);
    } catch (error) {
      return (await claim()) ? record(incident, 'snapshot', '', 'failed', now, { error: reason(error) }) : [];
    }
    const id = await incidents.saveSnapshot(incident.id, now, content as unknown as Record<string, unknown>, { claimIntervalMs: settings.snapshotIntervalMs });
    if (id === null) return [];
    return record(incident, 'snapshot', '', live, now, { snapshot_id: id });
  }

  async function pause(incident: Subject, queue: string, now: Date): Promise<DoneAction[]> {
    if (await incidents.hasAction(incident.id, 'pause', queue)) return [];
    await incidents.markActed(incident.id, now);
    if (settings.dryRun) return record(incident, 'pause', queue, 'dry_run', now);
    try {
      if ((await incidents.queuePauseHolders(queue)) === 0 && (await queues.isPaused(queue))) {
        return record(incident, 'pause', queue, 'skipped', now, { reason: 'already paused, not by the responder: it stays as it is' });
      }
      // The hold first: should the pause then fail, releasing the hold later only resumes a running queue.
      const others = await incidents.holdQueuePause(queue, incident.id, now);
      if (others === 0) await queues.pause(queue);
      return record(incident, 'pause', queue, live, now, { other_holders: others });
    } catch (error) {
      return record(incident, 'pause', queue, 'failed', now, { error: reason(error) });
    }
  }

  /**
   * Releases the incident's holds (of the `queues` given, or all) and resumes each queue no other
   * incident holds; `detail` is added to each `resume` recorded (why it was lifted).
   */
  async function resume(incident: Subject, now: Date, how: { queues?: readonly string[]; detail?: Record<string, unknown> } = {}): Promise<DoneAction[]> {
    const done: DoneAction[] = [];
    const chosen = (queue: string) => how.queues === undefined || how.queues.includes(queue);
    const why = how.detail ?? {};
    if (settings.dryRun) {
      for (const paused of (await incidents.listIncidentActions(incident.id)).filter(
        (a) => a.action === 'pause' && a.outcome === 'dry_run' && chosen(a.target),
      )) {
        if (!(await incidents.hasAction(incident.id, 'resume', paused.target)))
          done.push(...(await record(incident, 'resume', paused.target, 'dry_run', now, why)));
      }
      return done;
    }
    for (const { queue } of (await incidents.listQueuePauses({ incidentId: incident.id })).filter((p) => chosen(p.queue))) {
      const holders = await incidents.queuePauseHolders(queue);
      try {
        if (holders <= 1) await queues.resume(queue);
      } catch (error) {
        // The hold stays: the next delivery or check tries again.
        done.push(...(await record(incident, 'resume', queue, 'failed', now, { ...why, error: reason(error) })));
        continue;
      }
      await incidents.releaseQueuePause(queue, incident.id);
      const outcome = holders <= 1 ? live : 'skipped';
      done.push(
        ...(await record(
          incident,
          'resume',
          queue,
          outcome,
          now,
          holders <= 1 ? why : { ...why, reason: 'other incidents still hold the pause', other_holders: holders - 1 },
        )),
      );
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

  /**
   * A summary: a firing one at most once per interval (claimed before posting: never twice), the
   * resolution once — posted while none is recorded, so that a delivery that failed after the
   * incident was recorded resolved still gets it posted when Alertmanager retries.
   */
  async function notify(incident: Incident, kind: 'firing' | 'resolved', done: readonly DoneAction[], now: Date): Promise<DoneAction[]> {
    if (!notifier) return [];
    if (kind === 'firing' && !(await incidents.claimRateLimited(incident.id, 'notify', now, settings.notifyIntervalMs))) return [];
    if (kind === 'resolved' && (await incidents.listIncidentActions(incident.id)).some((a) => a.action === 'notify' && a.detail.kind === 'resolved')) return [];
    return post(incident, alertSummary(incident, kind, done), now, { kind });
  }

  return { record, snapshot, pause, resume, notify, post };
}
