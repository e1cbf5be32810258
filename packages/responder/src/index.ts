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
export type { Notifier, SlackMessage, PostResult } from './notify.js';
export type { DiagnosticSnapshot } from './snapshot.js';
export { ResponderErrorCode, RESPONDER_ERRORS, RESPONDER_FAULT_STATUS } from './problems.js';
