import { z } from 'zod';
import { parseConfig, SharedEnv } from '@insights/runtime';

const integer = (min: number) => z.coerce.number().int().min(min);
const port = integer(0).max(65_535);

/** The API's environment, every variable documented with its default. */
export const ApiConfig = z.object({
  /** Port of the API; 0 picks a free one (default 8000). */
  INSIGHTS_API_PORT: port.default(8000),
  /** Address the API listens on (default 0.0.0.0). */
  INSIGHTS_API_HOST: z.string().min(1).default('0.0.0.0'),
  /** Port of /metrics, kept off the public port; 0 picks a free one (default 9090). */
  INSIGHTS_METRICS_PORT: port.default(9090),
  /** Address /metrics listens on (default 0.0.0.0; an internal interface in production). */
  INSIGHTS_METRICS_HOST: z.string().min(1).default('0.0.0.0'),
  /** Largest request body in MB; a larger one is refused with 413 (default 50). */
  INSIGHTS_MAX_BODY_MB: z.coerce.number().positive().max(1024).default(50),
  /** Most people in one job; more are refused with 413 (default 200000). */
  INSIGHTS_MAX_EMPLOYEES: integer(1).default(200_000),
  /** Requests per minute per organisation, counted in Redis across replicas (default 600). */
  INSIGHTS_RATE_LIMIT_PER_MINUTE: integer(1).default(600),
  /** Refused authentications per minute per client address, per replica, before they are answered 429 and audited in aggregate (default 30). */
  INSIGHTS_AUTH_REFUSALS_PER_MINUTE: integer(1).default(30),
  /** Redis of the queues: `redis://host:port`; with REDIS_CLUSTER=true, comma-separated seed nodes. */
  REDIS_URL: SharedEnv.REDIS_URL,
  /** `true` for a Redis Cluster (then give QUEUE_PREFIX in braces, e.g. `{insights}`, so that each queue's keys share a slot). */
  REDIS_CLUSTER: SharedEnv.REDIS_CLUSTER,
  /** PostgreSQL of data sets, results, tokens, the job index and the audit log. */
  DATABASE_URL: SharedEnv.DATABASE_URL,
  /** Schema of the tables (default public). */
  DATABASE_SCHEMA: SharedEnv.DATABASE_SCHEMA,
  /** Connections the API's PostgreSQL pool opens at most (default 10). */
  DATABASE_POOL_MAX: integer(1).max(1000).default(10),
  /** Key prefix of the queues in Redis (default insights). */
  QUEUE_PREFIX: SharedEnv.QUEUE_PREFIX,
  /**
   * Secret of the operators' queue view (bull-board) under /admin/queues on the metrics port, at
   * least 24 characters; sent as the password of HTTP Basic auth or as a bearer token. Unset (or
   * empty): the view is not mounted and /admin/queues answers 404 (default unset).
   */
  INSIGHTS_ADMIN_TOKEN: z.preprocess((v) => (v === '' ? undefined : v), z.string().min(24, 'expected at least 24 characters').max(1024).optional()),
  /** `true`: the queue view may retry, clean, remove, pause and add jobs; otherwise it is read-only (default false). */
  INSIGHTS_ADMIN_WRITE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /** pino level: trace, debug, info, warn, error, fatal, silent (default info). */
  LOG_LEVEL: SharedEnv.LOG_LEVEL,
});
export type ApiConfig = Readonly<z.output<typeof ApiConfig>>;

/** Reads the API's configuration, reporting every problem at once (a ConfigError). */
export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  return parseConfig(ApiConfig, env);
}
