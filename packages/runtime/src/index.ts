/**
 * @insights/runtime — what every long-running process (api, worker, exporter, responder) shares:
 * configuration checked at start-up, its logger, and the run-until-SIGTERM lifecycle.
 */
export { ConfigError, parseConfig, SharedEnv } from './config.js';
export { serviceLogger, REDACTED_PATHS, type ServiceLoggerOptions } from './logger.js';
export { runService, type ServiceSpec, type ServiceProcess, type Stoppable } from './run-service.js';
export { timedCheck, type CheckResult } from './health.js';
export { CLUSTER_SLOTS_REFRESH_MS, connectRedis, type RedisClient } from './redis.js';
