import { EventEmitter } from 'node:events';
import type { AlertChange, Incident, IncidentStatus } from '@insights/store/incidents';
import { createActions, type ActionDeps } from './actions.js';
import { planActions, type ResponderPolicy } from './decisions.js';
import { escalationSummary, pauseLiftedSummary, staleSummary, type DoneAction } from './notify.js';
import { observedAlert, type AlertmanagerWebhook } from './webhook.js';

/** The default of RESPONDER_STALE_AFTER: Alertmanager's default repeat_interval (4h) and a margin. */
const DEFAULT_STALE_AFTER_MS = 4 * 3_600_000 + 30 * 60_000;

/** What the responder needs: the actions' dependencies, its policy, escalation timing and a clock. */
export interface ResponderDeps extends ActionDeps {
  policy: Pick<ResponderPolicy, 'pauseOn'>;
  /** An incident still firing this long after the responder acted needs a person, in ms. */
  escalateAfterMs: number;
  /** An incident reported firing but not reported at all for longer than this is stale, in ms (default 4h30m). */
  staleAfterMs?: number;
  /** A queue the responder paused is resumed after this long even if its alert still fires, in ms; 0 (the default): no limit. */
  maxPauseMs?: number;
  /** The time now (default: the wall clock); tests pass their own. */
  clock?: () => Date;
}

/** One alert of a webhook as the responder handled it. */
export interface HandledAlert {
  incident_id: string;
  alertname: string;
  status: IncidentStatus;
  change: AlertChange;
  actions: DoneAction[];
}

/**
 * What the responder did in one check: incidents escalated, incidents found stale, and pauses
 * released (of resolved or stale incidents, and those lifted after the longest pause).
 */
interface CheckResult {
  escalated: Incident[];
  resumed: DoneAction[];
  stale: Incident[];
}

/**
 * The alert responder. Emits `recorded` ({@link HandledAlert} and its {@link Incident}) for each
 * alert recorded, `escalated` (Incident) for each incident that now needs a person and `stale`
 * (Incident) for each incident taken as no longer firing.
 */
export interface Responder {
  /** Records every alert of a webhook and acts on it, then escalates what is due. */
  handle(webhook: AlertmanagerWebhook): Promise<HandledAlert[]>;
  /** The periodic check: stale incidents, pauses to release or lift, escalations. */
  check(): Promise<CheckResult>;
  readonly events: EventEmitter;
}

/** Why a pause was released, as the `resume` action's detail says (`lifted`). */
function liftedBecause(status: IncidentStatus): Record<string, unknown> {
  return status === 'stale' ? { lifted: 'stale' } : {};
}

/**
 * Makes the responder. Webhooks and checks run one at a time, so that the check-then-act steps of
 * one cannot interleave with another's; every step is also idempotent in PostgreSQL, so a
 * redelivered webhook (Alertmanager retries and repeats) changes nothing.
 */
export function createResponder(deps: ResponderDeps): Responder {
  const clock = deps.clock ?? (() => new Date());
  const staleAfterMs = deps.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  const maxPauseMs = deps.maxPauseMs ?? 0;
  const outcome = deps.settings.dryRun ? 'dry_run' : 'ok';
  const actions = createActions(deps);
  const events = new EventEmitter();
  const policy: ResponderPolicy = { pauseOn: deps.policy.pauseOn, notify: deps.notifier !== undefined };
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const run = chain.then(work);
    chain = run.catch(() => undefined);
    return run;
  };
  const incidentOf = async (key: { fingerprint: string; startsAt: Date }): Promise<Incident> =>
    (await deps.incidents.findIncident(key.fingerprint, key.startsAt))!;

  async function handleAlert(alert: AlertmanagerWebhook['alerts'][number], now: Date): Promise<HandledAlert> {
    const observed = observedAlert(alert);
    deps.metrics.alertReceived(observed.alertname, observed.status);
    const { incident, change } = await deps.incidents.recordAlert(observed, now);
    if (change !== 'unchanged')
      deps.log.info({ incident_id: incident.id, alertname: incident.alertname, status: incident.status, change }, 'incident recorded');
    const done: DoneAction[] = [];
    for (const step of planActions(incident, policy)) {
      if (step.action === 'snapshot') done.push(...(await actions.snapshot(incident, now)));
      else if (step.action === 'pause') done.push(...(await actions.pause(incident, step.queue, now)));
      else if (step.action === 'resume') done.push(...(await actions.resume(incident, now)));
      else done.push(...(await actions.notify(incident, step.kind, done, now)));
    }
    const handled: HandledAlert = { incident_id: incident.id, alertname: incident.alertname, status: incident.status, change, actions: done };
    events.emit('recorded', handled, incident);
    return handled;
  }

  async function escalate(now: Date): Promise<Incident[]> {
    const escalated = await deps.incidents.escalateDue(now, deps.escalateAfterMs, outcome);
    for (const incident of escalated) {
      deps.metrics.actionTaken('escalate', outcome);
      deps.log.warn(
        { incident_id: incident.id, alertname: incident.alertname, acted_at: incident.actedAt, outcome },
        'incident needs a person: still firing after the responder acted',
      );
      await actions.post(incident, escalationSummary(incident, deps.escalateAfterMs), now, { kind: 'escalation' });
      events.emit('escalated', incident);
    }
    return escalated;
  }

  /**
   * Incidents no delivery has reported for longer than `staleAfterMs` are taken as no longer
   * firing (Alertmanager sends no resolved notification for an alert that resolves while silenced
   * or inhibited): marked `stale`, and the pauses they hold released.
   */
  async function markStaleIncidents(now: Date): Promise<{ stale: Incident[]; resumed: DoneAction[] }> {
    const stale: Incident[] = [];
    const resumed: DoneAction[] = [];
    for (const key of await deps.incidents.markStale(now, staleAfterMs)) {
      const incident = await incidentOf(key);
      const silentMs = now.getTime() - key.lastSeen.getTime();
      deps.log.warn(
        { incident_id: incident.id, alertname: incident.alertname, last_seen: key.lastSeen, stale_after_ms: staleAfterMs },
        'incident stale: not reported for too long, taken as no longer firing',
      );
      const done = await actions.resume(incident, now, { detail: { lifted: 'stale', last_seen: key.lastSeen.toISOString(), stale_after_ms: staleAfterMs } });
      if (done.some((a) => a.outcome !== 'failed')) await actions.post(incident, staleSummary(incident, silentMs, done), now, { kind: 'stale' });
      stale.push(incident);
      resumed.push(...done);
      events.emit('stale', incident);
    }
    return { stale, resumed };
  }

  /** Releases the pauses of incidents no longer firing (resolved, or stale) still held: a resume that failed is retried. */
  async function releaseNotFiring(now: Date): Promise<DoneAction[]> {
    const held = await deps.incidents.listQueuePauses({ notFiring: true });
    const done: DoneAction[] = [];
    const incidents = new Map(held.map((pause) => [pause.incidentId, pause]));
    for (const [id, pause] of incidents) done.push(...(await actions.resume({ id, alertname: pause.alertname }, now, { detail: liftedBecause(pause.status) })));
    return done;
  }

  /**
   * Lifts every pause the responder has held for `maxPauseMs` (0: never), even though its alert
   * still fires, and escalates the incidents holding it: a person must decide what to do.
   */
  async function liftLongPauses(now: Date): Promise<{ escalated: Incident[]; resumed: DoneAction[] }> {
    if (maxPauseMs <= 0) return { escalated: [], resumed: [] };
    const by = new Date(now.getTime() - maxPauseMs);
    const held = deps.settings.dryRun ? await deps.incidents.dryRunPausesBy(by) : await deps.incidents.listQueuePauses({ pausedBy: by });
    const byIncident = new Map<string, { key: (typeof held)[number]; queues: string[] }>();
    for (const pause of held) {
      const entry = byIncident.get(pause.incidentId) ?? { key: pause, queues: [] };
      entry.queues.push(pause.queue);
      byIncident.set(pause.incidentId, entry);
    }
    const escalated: Incident[] = [];
    const resumed: DoneAction[] = [];
    for (const { key, queues } of byIncident.values()) {
      const incident = await incidentOf(key);
      const detail = { lifted: 'max_pause', paused_at: key.pausedAt.toISOString(), max_pause_ms: maxPauseMs };
      const done = await actions.resume(incident, now, { queues, detail });
      resumed.push(...done);
      if (incident.status !== 'firing') continue;
      deps.log.warn(
        { incident_id: incident.id, alertname: incident.alertname, queues, paused_at: key.pausedAt, max_pause_ms: maxPauseMs, outcome },
        'pause lifted: paused for the longest time allowed, the alert still fires',
      );
      for (const escalatedNow of await deps.incidents.escalateDue(now, 0, outcome, {
        only: [incident.id],
        detail: { reason: 'max_pause', max_pause_ms: maxPauseMs },
      })) {
        deps.metrics.actionTaken('escalate', outcome);
        escalated.push(escalatedNow);
        events.emit('escalated', escalatedNow);
      }
      if (done.some((a) => a.outcome !== 'failed')) await actions.post(incident, pauseLiftedSummary(incident, maxPauseMs, done), now, { kind: 'pause_lifted' });
    }
    return { escalated, resumed };
  }

  return {
    events,
    handle: (webhook) =>
      serial(async () => {
        const now = clock();
        const handled: HandledAlert[] = [];
        for (const alert of webhook.alerts) handled.push(await handleAlert(alert, now));
        await escalate(now);
        return handled;
      }),
    check: () =>
      serial(async () => {
        const now = clock();
        const stale = await markStaleIncidents(now);
        const released = await releaseNotFiring(now);
        const lifted = await liftLongPauses(now);
        const escalated = await escalate(now);
        return { escalated: [...lifted.escalated, ...escalated], resumed: [...stale.resumed, ...released, ...lifted.resumed], stale: stale.stale };
      }),
  };
}
