import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { parseConfig, SharedEnv } from '@insights/runtime';

const cores = availableParallelism();
const integer = (min: number) => z.coerce.number().int().min(min);

/** The worker's environment, every variable documented with its default. */
export const WorkerConfig = z.object({
  /** Redis to take jobs from: `redis://host:port`, or several comma-separated URLs for a Redis Cluster. */
  REDIS_URL: SharedEnv.REDIS_URL,
  /** Whether REDIS_URL names Redis Cluster nodes (default false). */
  REDIS_CLUSTER: SharedEnv.REDIS_CLUSTER,
  /** PostgreSQL for data sets and results. */
  DATABASE_URL: SharedEnv.DATABASE_URL,
  /** Schema of the tables (default public). */
  DATABASE_SCHEMA: SharedEnv.DATABASE_SCHEMA,
  /** Key prefix of the queues in Redis; `{insights}` keeps every key in one Redis Cluster hash slot. */
  QUEUE_PREFIX: SharedEnv.QUEUE_PREFIX,
  /** pino level: trace, debug, info, warn, error, fatal, silent (default info). */
  LOG_LEVEL: SharedEnv.LOG_LEVEL,
  /** Jobs taken at once per queue (default: the number of cores). */
  WORKER_CONCURRENCY: integer(1).default(cores),
  /** Compute threads (default: the number of cores). */
  WORKER_THREADS: integer(1).default(cores),
  /** Heap limit of each compute thread in MB; a larger job fails with OUT_OF_MEMORY (default 2048). */
  WORKER_THREAD_MEMORY_MB: integer(64).default(2048),
  /** How long a job's lock lasts before it must be renewed, in ms (default 30000). */
  WORKER_LOCK_MS: integer(1000).default(30_000),
  /** How often stalled jobs (whose worker died) are looked for and handed back, in ms (default 30000). */
  WORKER_STALLED_INTERVAL_MS: integer(1000).default(30_000),
  /** On SIGTERM, how long jobs in flight may take to finish before they are handed back, in ms (default 30000). */
  WORKER_DRAIN_TIMEOUT_MS: integer(0).default(30_000),
  /** How long one PostgreSQL query may wait for its answer before the attempt fails as UNAVAILABLE and is retried, in ms (default 30000). */
  WORKER_DB_QUERY_TIMEOUT_MS: integer(100).default(30_000),
  /** Port of /metrics and /health; 0 picks a free one (default 9465). */
  WORKER_METRICS_PORT: integer(0).default(9465),
  /** Address /metrics and /health listen on (default 0.0.0.0). */
  WORKER_METRICS_HOST: z.string().min(1).default('0.0.0.0'),
});
export type WorkerConfig = Readonly<z.output<typeof WorkerConfig>>;

/** Reads the worker's configuration from the environment, reporting every problem at once. */
export function loadWorkerConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  return parseConfig(WorkerConfig, env);
}
