import type pg from 'pg';
import type { ClientConfig, InsightsClient } from '@insights/producer';
import { UsageError } from '../errors.js';

/** Connections of a command that talks to a running fleet, and how to close them. */
export interface FleetConnections {
  config: ClientConfig;
  client: InsightsClient;
  db: pg.Pool;
  close(): Promise<void>;
}

/**
 * Connects to Redis and PostgreSQL from the environment, failing fast with what to do when
 * either cannot be reached. Redis, the producer and the store are loaded here, on first use, not
 * when the commands that use them are defined.
 */
export async function connectToFleet(env: NodeJS.ProcessEnv = process.env): Promise<FleetConnections> {
  const [{ Redis }, { InsightsClient, loadClientConfig }, { createPool }] = await Promise.all([import('ioredis'), import('@insights/producer'), import('@insights/store')]);
  let config: ClientConfig;
  try {
    config = loadClientConfig(env);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: true, retryStrategy: () => null });
  const db = createPool(config.DATABASE_URL, { applicationName: 'insights-cli' });
  try {
    await redis.connect();
  } catch (error) {
    await db.end();
    redis.disconnect();
    throw new UsageError(`cannot reach Redis at ${config.REDIS_URL} (${(error as Error).message}); start it (scripts/ensure-services.sh) or set REDIS_URL`);
  }
  try {
    await db.query('SELECT 1');
  } catch (error) {
    await db.end().catch(() => undefined);
    redis.disconnect();
    throw new UsageError(`cannot reach PostgreSQL at ${config.DATABASE_URL} (${(error as Error).message}); start it (scripts/ensure-services.sh) or set DATABASE_URL`);
  }
  const client = new InsightsClient({ redis, db, prefix: config.QUEUE_PREFIX, schema: config.DATABASE_SCHEMA });
  return {
    config,
    client,
    db,
    async close() {
      await client.close();
      await redis.quit().catch(() => redis.disconnect());
      await db.end();
    },
  };
}
