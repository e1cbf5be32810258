import { EventEmitter } from 'node:events';
import { escalateDue, listQueuePauses, recordAlert, type AlertChange, type Incident } from '@insights/store';
import { createActions, type ActionDeps } from './actions.js';
import { planActions, type ResponderPolicy } from './decisions.js';
import { escalationSummary, type DoneAction } from './notify.js';
import { observedAlert, type AlertmanagerWebhook } from './webhook.js';

/** What the responder needs: the actions' dependencies, its policy, escalation timing and a clock. */
export interface ResponderDeps extends ActionDeps {
  policy: Pick<ResponderPolicy, 'pauseOn'>;
  /** An incident still firing this long after the responder acted needs a person, in ms. */
  escalateAfterMs: number;
  /** The time now (default: the wall clock); tests pass their own. */
  clock?: () => Date;
}

/** One alert of a webhook as the responder handled it. */
export interface HandledAlert {
  incident_id: string;
  alertname: string;
  status: 'firing' | 'resolved';
  change: AlertChange;
  actions: DoneAction[];
}

/** What the responder did in one check: incidents escalated, pauses of resolved incidents released. */
export interface CheckResult {
  escalated: Incident[];
  resumed: DoneAction[];
}

/**
 * The alert responder. Emits `recorded` ({@link HandledAlert} and its {@link Incident}) for each
 * alert recorded and `escalated` (Incident) for each incident that now needs a person.
 */
export interface Responder {
  /** Records every alert of a webhook and acts on it, then escalates what is due. */
  handle(webhook: AlertmanagerWebhook): Promise<HandledAlert[]>;
  /** Escalates incidents due for it and releases the pauses of resolved incidents (the periodic check). */
  check(): Promise<CheckResult>;
  readonly events: EventEmitter;
}

/**
 * Makes the responder. Webhooks and checks run one at a time, so that the check-then-act steps of
 * one cannot interleave with another's; every step is also idempotent in PostgreSQL, so a
 * redelivered webhook (Alertmanager retries and repeats) changes nothing.
 */
export function createResponder(deps: ResponderDeps): Responder {
  const clock = deps.clock ?? (() => new Date());
  const opts = { schema: deps.schema };
  const actions = createActions(deps);
  const events = new EventEmitter();
  const policy: ResponderPolicy = { pauseOn: deps.policy.pauseOn, notify: deps.notifier !== undefined };
  let chain: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const run = chain.then(work);
    chain = run.catch(() => undefined);
    return run;
  };

  async function handleAlert(alert: AlertmanagerWebhook['alerts'][number], now: Date): Promise<HandledAlert> {
    const observed = observedAlert(alert);
    deps.metrics.alertReceived(observed.alertname, observed.status);
    const { incident, change } = await recordAlert(deps.db, observed, now, opts);
    if (change !== 'unchanged') deps.log.info({ incident_id: incident.id, alertname: incident.alertname, status: incident.status, change }, 'incident recorded');
    const done: DoneAction[] = [];
    for (const step of planActions(incident, change, policy)) {
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
    const outcome = deps.settings.dryRun ? 'dry_run' : 'ok';
    const escalated = await escalateDue(deps.db, now, deps.escalateAfterMs, outcome, opts);
    for (const incident of escalated) {
      deps.metrics.actionTaken('escalate', outcome);
      deps.log.warn({ incident_id: incident.id, alertname: incident.alertname, acted_at: incident.actedAt, outcome }, 'incident needs a person: still firing after the responder acted');
      await actions.post(incident, escalationSummary(incident, deps.escalateAfterMs), now, { kind: 'escalation' });
      events.emit('escalated', incident);
    }
    return escalated;
  }

  async function releaseResolved(now: Date): Promise<DoneAction[]> {
    const held = await listQueuePauses(deps.db, { resolvedOnly: true }, opts);
    const done: DoneAction[] = [];
    const incidents = new Map(held.map((pause) => [pause.incidentId, pause.alertname]));
    for (const [id, alertname] of incidents) done.push(...(await actions.resume({ id, alertname }, now)));
    return done;
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
        return { escalated: await escalate(now), resumed: await releaseResolved(now) };
      }),
  };
}
