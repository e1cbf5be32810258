import type { Incident, IncidentActionKind, IncidentActionOutcome } from '@insights/store/incidents';

/** A Slack-compatible incoming-webhook message. */
export interface SlackMessage {
  text: string;
  blocks?: { type: 'section'; text: { type: 'mrkdwn'; text: string } }[];
}

/** How a post went: the HTTP status, or why there was none. */
export type PostResult = { ok: true; status: number } | { ok: false; status?: number; error: string };

/** Posts a message; never throws. */
export type Notifier = (message: SlackMessage) => Promise<PostResult>;

/** What the responder did for an alert, as a summary lists it. */
export interface DoneAction {
  action: IncidentActionKind;
  target: string;
  outcome: IncidentActionOutcome;
}

/** A notifier posting JSON to a Slack-compatible webhook URL, giving up after `timeoutMs`. */
export function slackNotifier(url: string, timeoutMs = 5_000): Notifier {
  return async (message) => {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(message),
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      return response.ok ? { ok: true, status: response.status } : { ok: false, status: response.status, error: `the webhook answered ${response.status}` };
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      return { ok: false, error: cause ?? (error as Error).name ?? 'post failed' };
    }
  };
}

/**
 * Escapes the three characters Slack reads as control sequences in message text (`&`, `<`, `>`:
 * `<url|text>` links, `<!channel>` mentions, entities). Alert labels and summaries come from
 * Alertmanager and are shown as written, never as links or mentions.
 */
function escapeSlackText(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function label(incident: Incident): string {
  const where = [incident.severity, incident.service && `service ${incident.service}`, incident.queue && `queue ${incident.queue}`].filter(Boolean).join(', ');
  return escapeSlackText(`${incident.alertname}${where ? ` (${where})` : ''}`);
}

function summaryOf(incident: Incident): string {
  return incident.summary === null ? 'no summary' : escapeSlackText(incident.summary);
}

function describe(done: DoneAction): string {
  const target = done.target ? ` ${done.target}` : '';
  const verb = {
    snapshot: 'diagnostic snapshot taken',
    pause: `intake of queue${target} paused`,
    resume: `intake of queue${target} resumed`,
    notify: 'notified',
    escalate: 'escalated',
  }[done.action];
  const suffix = done.outcome === 'ok' ? '' : done.outcome === 'dry_run' ? ' (dry run: not done)' : ` (${done.outcome})`;
  return `${verb}${suffix}`;
}

function message(text: string, detail: string): SlackMessage {
  return { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `${text}\n${detail}` } }] };
}

/** The summary of a firing or resolved alert, with what the responder did about it. */
export function alertSummary(incident: Incident, kind: 'firing' | 'resolved', done: readonly DoneAction[]): SlackMessage {
  const text = `[${kind.toUpperCase()}] ${label(incident)}: ${summaryOf(incident)}`;
  const actions = done.length > 0 ? done.map(describe).join('; ') : 'no automatic action';
  return message(text, `Incident ${incident.id}, since ${incident.startsAt.toISOString()}. Responder: ${actions}.`);
}

/** The message of an incident that now needs a person. */
export function escalationSummary(incident: Incident, afterMs: number): SlackMessage {
  const minutes = Math.round(afterMs / 60_000);
  const text = `[NEEDS A PERSON] ${label(incident)}: still firing ${minutes} min after the responder acted`;
  return message(text, `Incident ${incident.id}, since ${incident.startsAt.toISOString()}: ${summaryOf(incident)}`);
}

function queuesOf(resumed: readonly DoneAction[]): string {
  const queues = [...new Set(resumed.map((a) => a.target))];
  return `intake of queue${queues.length > 1 ? 's' : ''} ${queues.join(', ')}`;
}

/** The message of an incident taken as no longer firing because no notification reported it for a while. */
export function staleSummary(incident: Incident, silentMs: number, resumed: readonly DoneAction[]): SlackMessage {
  const minutes = Math.round(silentMs / 60_000);
  const dry = resumed.every((a) => a.outcome === 'dry_run') ? ' (dry run: not done)' : '';
  const text = `[STALE] ${label(incident)}: not reported for ${minutes} min, taken as no longer firing; ${queuesOf(resumed)} resumed${dry}`;
  return message(
    text,
    `Incident ${incident.id}, since ${incident.startsAt.toISOString()}, last reported ${incident.lastSeen.toISOString()}: it may have resolved while silenced or inhibited, when Alertmanager sends no resolved notification.`,
  );
}

/** The message of a pause lifted after the longest pause allowed while its alert still fires. */
export function pauseLiftedSummary(incident: Incident, maxPauseMs: number, resumed: readonly DoneAction[]): SlackMessage {
  const minutes = Math.round(maxPauseMs / 60_000);
  const dry = resumed.every((a) => a.outcome === 'dry_run') ? ' (dry run: not done)' : '';
  const text = `[NEEDS A PERSON] ${label(incident)}: still firing; ${queuesOf(resumed)} resumed after ${minutes} min paused${dry}`;
  return message(text, `Incident ${incident.id}, since ${incident.startsAt.toISOString()}: ${summaryOf(incident)}`);
}
