/**
 * @insights/runtime — what every long-running process (api, worker, exporter, responder) shares:
 * configuration checked at start-up, its logger, the run-until-SIGTERM lifecycle, the Redis
 * connection, the `/metrics` + `/health` listener and the problem+json document.
 */
export { ConfigError, parseConfig, SharedEnv } from './config.js';
export { ClientConfig, loadClientConfig } from './client-config.js';
export { serviceLogger, type ServiceLoggerOptions } from './logger.js';
export { runService, type ServiceSpec, type ServiceProcess, type Stoppable } from './run-service.js';
export { Scope, bounded, ScopeCloseError, CloseTimeoutError, type ScopeOptions, type CloseFailure } from './scope.js';
export { timedCheck, type CheckResult } from './health.js';
export { raceTimeout } from './timeout.js';
export { CLUSTER_SLOTS_REFRESH_MS, connectRedis, closeRedis, type RedisClient } from './redis.js';
export { allHealthy, buildOpsHttp, registerOpsRoutes, type HealthAnswer, type HealthStatus, type OpsRoutes } from './http.js';
export { PROBLEM_CONTENT_TYPE, problemDocument, type ProblemDocument } from './problem.js';
