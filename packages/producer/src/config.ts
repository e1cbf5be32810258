import { z } from 'zod';
import { DEFAULT_QUEUE_PREFIX } from '@insights/jobs';

/** Where a client (the CLI's submit/status/result, the API) finds the fleet. */
export const ClientConfig = z.object({
  /** Redis of the queues: `redis://host:port`. */
  REDIS_URL: z.string().min(1).default('redis://127.0.0.1:6379'),
  /** PostgreSQL of data sets and results. */
  DATABASE_URL: z.string().min(1).default('postgres://postgres@127.0.0.1:5432/postgres'),
  /** Schema of the tables (default public). */
  DATABASE_SCHEMA: z.string().regex(/^[a-z_][a-z0-9_]*$/).default('public'),
  /** Key prefix of the queues in Redis (default insights). */
  QUEUE_PREFIX: z.string().min(1).default(DEFAULT_QUEUE_PREFIX),
});
export type ClientConfig = Readonly<z.output<typeof ClientConfig>>;

/** Reads the client configuration, listing every problem at once. */
export function loadClientConfig(env: NodeJS.ProcessEnv = process.env): ClientConfig {
  const parsed = ClientConfig.safeParse(env);
  if (!parsed.success) {
    throw new Error(`invalid configuration:\n  ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n  ')}`);
  }
  return Object.freeze(parsed.data);
}
