import { collectDefaultMetrics, Counter, Registry } from 'prom-client';
import type { IncidentActionKind, IncidentActionOutcome } from '@insights/store/incidents';

/** Alert names beyond this many distinct ones are counted as `other`, so a flood cannot grow the series. */
const MAX_ALERT_NAMES = 100;

/** The responder's metrics, on a registry of its own. */
export interface ResponderMetrics {
  registry: Registry;
  alertReceived(alertname: string, status: 'firing' | 'resolved'): void;
  actionTaken(action: IncidentActionKind, outcome: IncidentActionOutcome): void;
}

/** `responder_alerts_received_total{alertname,status}` and `responder_actions_total{action,outcome}`, plus process metrics. */
export function createResponderMetrics(): ResponderMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const alerts = new Counter({
    name: 'responder_alerts_received_total',
    help: 'Alerts received in Alertmanager webhooks, by alert name and status (redeliveries included)',
    labelNames: ['alertname', 'status'],
    registers: [registry],
  });
  const actions = new Counter({
    name: 'responder_actions_total',
    help: 'Actions the responder recorded, by action and outcome (ok, failed, skipped, dry_run)',
    labelNames: ['action', 'outcome'],
    registers: [registry],
  });
  const names = new Set<string>();
  return {
    registry,
    alertReceived(alertname, status) {
      if (!names.has(alertname) && names.size < MAX_ALERT_NAMES) names.add(alertname);
      alerts.inc({ alertname: names.has(alertname) ? alertname : 'other', status });
    },
    actionTaken(action, outcome) {
      actions.inc({ action, outcome });
    },
  };
}
