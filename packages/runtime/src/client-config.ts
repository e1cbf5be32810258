import { z } from 'zod';
import { parseConfig, SharedEnv } from './config.js';

/**
 * Where a command that talks to a running fleet (the CLI's submit, status, result, migrate,
 * prune, token and fleet) finds it: the same variables, checked the same way, as the services.
 */
export const ClientConfig = z.object({
  /** Redis of the queues; with REDIS_CLUSTER, comma-separated seed nodes. */
  REDIS_URL: SharedEnv.REDIS_URL,
  /** `true` when REDIS_URL names the seed nodes of a Redis Cluster (default false). */
  REDIS_CLUSTER: SharedEnv.REDIS_CLUSTER,
  /** PostgreSQL of data sets, results and tokens. */
  DATABASE_URL: SharedEnv.DATABASE_URL,
  /** Schema of the tables (default public). */
  DATABASE_SCHEMA: SharedEnv.DATABASE_SCHEMA,
  /** Key prefix of the queues in Redis (default insights). */
  QUEUE_PREFIX: SharedEnv.QUEUE_PREFIX,
});
export type ClientConfig = Readonly<z.output<typeof ClientConfig>>;

/**
 * Reads the client configuration, listing every problem at once.
 * @throws {ConfigError} when a variable is invalid
 */
export function loadClientConfig(env: NodeJS.ProcessEnv = process.env): ClientConfig {
  return parseConfig(ClientConfig, env);
}
