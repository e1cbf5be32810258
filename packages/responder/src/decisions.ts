import { QUEUES, QUEUE_NAMES } from '@insights/jobs';
import type { Incident } from '@insights/store/incidents';

/** Alerts on which the responder collects a diagnostic snapshot (for the clustering queue). */
const DIAGNOSED_ALERTS: readonly string[] = ['HighErrorRate', 'JobsStuck'];

/** What the responder may do, as configured. */
export interface ResponderPolicy {
  /** Alert names on which queue intake is paused until they resolve (RESPONDER_PAUSE_ON). */
  pauseOn: readonly string[];
  /** Whether summaries are posted (RESPONDER_SLACK_WEBHOOK_URL is set). */
  notify: boolean;
}

/** One step the responder plans for an alert; rate limits and idempotency are applied when it runs. */
export type PlannedAction =
  { action: 'snapshot' } | { action: 'pause'; queue: string } | { action: 'resume' } | { action: 'notify'; kind: 'firing' | 'resolved' };

/**
 * Whether an alert is about the clustering queue: JobsStuck names its queue; an alert without a
 * queue label (HighErrorRate, of the API) concerns every queue, so the clustering one too.
 */
export function concernsClustering(queue: string | null): boolean {
  return queue === null || queue === QUEUES.clustering;
}

/** The queues an alert's pause applies to: the one its `queue` label names, or all without one. */
export function queuesToPause(queue: string | null): string[] {
  if (queue === null) return [...QUEUE_NAMES];
  return (QUEUE_NAMES as readonly string[]).includes(queue) ? [queue] : [];
}

/**
 * The steps for one alert of a webhook, in the order they run (the summary last, so that it can
 * say what was done). A firing alert: snapshot (HighErrorRate or JobsStuck for the clustering
 * queue), pause (when configured for the alert), summary. A resolved one: release the pauses it
 * holds (every time, so that a failed resume is retried), and a summary when it was ever seen
 * firing (every time too: the summary itself is posted once, see the notify action). A stale one
 * (only the periodic check makes one): nothing.
 */
export function planActions(incident: Pick<Incident, 'alertname' | 'queue' | 'status' | 'seenFiring'>, policy: ResponderPolicy): PlannedAction[] {
  const planned: PlannedAction[] = [];
  if (incident.status === 'firing') {
    if (DIAGNOSED_ALERTS.includes(incident.alertname) && concernsClustering(incident.queue)) planned.push({ action: 'snapshot' });
    if (policy.pauseOn.includes(incident.alertname)) {
      for (const queue of queuesToPause(incident.queue)) planned.push({ action: 'pause', queue });
    }
    if (policy.notify) planned.push({ action: 'notify', kind: 'firing' });
    return planned;
  }
  if (incident.status === 'stale') return planned;
  planned.push({ action: 'resume' });
  if (policy.notify && incident.seenFiring) planned.push({ action: 'notify', kind: 'resolved' });
  return planned;
}
