/**
 * @insights/api — the HTTP API (Fastify): build it with `buildApp`, run it as a process
 * with `runApiProcess` (`insights api`) or in-process with `startApi`.
 */
export { buildApp } from './app.js';
export type { ApiDeps } from './deps.js';
export { runApiProcess } from './main.js';
export { startApi, type RunningApi, type ApiLoggers } from './start-api.js';
export { ApiConfig, loadApiConfig } from './config.js';
export { ConfigError } from '@insights/runtime';
export { ApiError, ApiErrorCode, API_ERRORS, FAULT_STATUS } from './errors.js';
export { AuditTrail, type AuditTrailOptions } from './audit.js';
export { createApiMetrics, type ApiMetrics } from './metrics.js';
export { Problem } from './problem.js';
