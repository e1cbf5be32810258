import { z } from 'zod';
import type { ObservedAlert } from '@insights/store/incidents';

/**
 * Text PostgreSQL can store: a NUL in a label is the sender's mistake, answered 400 at once
 * rather than failing every retry of the delivery.
 */
const Text = z.string().refine((text) => !text.includes('\u0000'), 'contains a NUL character, which cannot be stored');

/** Label or annotation values, by name. */
const StringMap = z.record(Text, Text);

/** An RFC 3339 timestamp as Alertmanager writes it (nanoseconds, any offset). */
const Timestamp = z.iso.datetime({ offset: true });

/** One alert of an Alertmanager webhook notification. */
export const AlertmanagerAlert = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: StringMap.refine((labels) => typeof labels.alertname === 'string' && labels.alertname !== '', 'an alert needs an alertname label'),
  annotations: StringMap.default({}),
  startsAt: Timestamp,
  /** Zero time (`0001-01-01T00:00:00Z`) while the alert fires. */
  endsAt: Timestamp.optional(),
  generatorURL: Text.optional(),
  /** Alertmanager's hash of the label set. */
  fingerprint: Text.min(1).max(64),
});
export type AlertmanagerAlert = z.infer<typeof AlertmanagerAlert>;

/** The body Alertmanager's `webhook_configs` POSTs (format version 4). Unknown fields are ignored. */
export const AlertmanagerWebhook = z.object({
  version: z.literal('4'),
  groupKey: Text,
  truncatedAlerts: z.number().int().min(0).optional(),
  status: z.enum(['firing', 'resolved']),
  receiver: Text,
  groupLabels: StringMap.default({}),
  commonLabels: StringMap.default({}),
  commonAnnotations: StringMap.default({}),
  externalURL: Text.default(''),
  alerts: z.array(AlertmanagerAlert).max(10_000),
});
export type AlertmanagerWebhook = z.infer<typeof AlertmanagerWebhook>;

/** Whether a body is a webhook notification, with every problem (capped) when it is not. */
export function parseWebhook(body: unknown): { ok: true; webhook: AlertmanagerWebhook } | { ok: false; problems: string[] } {
  const parsed = AlertmanagerWebhook.safeParse(body);
  if (parsed.success) return { ok: true, webhook: parsed.data };
  const problems = parsed.error.issues.slice(0, 20).map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`);
  const rest = parsed.error.issues.length - problems.length;
  if (rest > 0) problems.push(`… and ${rest} more problem${rest === 1 ? '' : 's'}`);
  return { ok: false, problems };
}

const MAX_TEXT = 500;

/** A label or annotation value kept, trimmed to a bounded length; absent or empty is null. */
function kept(value: string | undefined, max = MAX_TEXT): string | null {
  if (value === undefined || value === '') return null;
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

/**
 * What the responder keeps of an alert: its identity and the labels and annotations the rules set
 * (alertname, severity, service, queue, summary). Nothing else of the label set is stored.
 */
export function observedAlert(alert: AlertmanagerAlert): ObservedAlert {
  return {
    fingerprint: alert.fingerprint,
    startsAt: new Date(alert.startsAt),
    status: alert.status,
    alertname: kept(alert.labels.alertname, 200)!,
    severity: kept(alert.labels.severity, 50),
    service: kept(alert.labels.service, 100),
    queue: kept(alert.labels.queue, 100),
    summary: kept(alert.annotations.summary),
    endsAt: alert.status === 'resolved' && alert.endsAt !== undefined ? new Date(alert.endsAt) : null,
  };
}
