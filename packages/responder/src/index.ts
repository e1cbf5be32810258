/**
 * @insights/responder — the alert responder: takes Alertmanager webhooks, records each alert as an
 * incident in PostgreSQL, collects diagnostic snapshots of the queues, pauses and resumes queue
 * intake when configured to, posts summaries and escalates what it cannot clear. Its entry point is
 * `insights responder` (see runResponderProcess).
 */
export { runResponderProcess } from './main.js';
export { startResponder, type RunningResponder, type StartOptions } from './start-responder.js';
export { loadResponderConfig, ResponderConfig } from './config.js';
export { ConfigError } from '@insights/runtime';
export { ResponderErrorCode, RESPONDER_ERRORS, RESPONDER_FAULT_STATUS } from './problems.js';
export { createResponder, type Responder, type ResponderDeps, type HandledAlert, type CheckResult } from './responder.js';
export { AlertmanagerWebhook, AlertmanagerAlert, parseWebhook, observedAlert } from './webhook.js';
export { planActions, queuesToPause, concernsClustering, DIAGNOSED_ALERTS, type PlannedAction, type ResponderPolicy } from './decisions.js';
export { slackNotifier, alertSummary, escalationSummary, staleSummary, pauseLiftedSummary, type Notifier, type SlackMessage, type PostResult, type DoneAction } from './notify.js';
export { type DiagnosticSnapshot, type QueueDiagnosis, type JobBrief, type FailureBrief } from './snapshot.js';
