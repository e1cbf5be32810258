import type { ClientConnections, InsightsClient } from '@insights/producer';
import type { ClientConfig } from '@insights/runtime';
import type { Store } from '@insights/store';
import { UsageError } from '../errors.js';

/** Connections of a command that talks to a running fleet, and how to close them. */
export interface FleetConnections {
  config: ClientConfig;
  client: InsightsClient;
  /** The Redis connection the client's queues use. */
  redis: ClientConnections['redis'];
  /** The store on DATABASE_URL and DATABASE_SCHEMA. */
  store: Store;
  close(): Promise<void>;
}

/**
 * Connects to Redis and PostgreSQL from the environment, failing fast with what to do when
 * either cannot be reached. Redis, the producer and the store are loaded here, on first use, not
 * when the commands that use them are defined.
 */
export async function connectToFleet(env: NodeJS.ProcessEnv = process.env): Promise<FleetConnections> {
  const [{ connectRedis }, { InsightsClient }, { createPool, Store }, { loadFleetConfig }] = await Promise.all([
    import('@insights/runtime'),
    import('@insights/producer'),
    import('@insights/store'),
    import('../fleet-config.js'),
  ]);
  const config = loadFleetConfig(env);
  // One server unreachable: fail at once. A cluster client reconnects its nodes as slots move, so
  // only its first connection fails fast (connect() rejects when no seed node answers).
  const redis = connectRedis(config.REDIS_URL, config.REDIS_CLUSTER, {
    maxRetriesPerRequest: null,
    lazyConnect: true,
    ...(config.REDIS_CLUSTER ? {} : { retryStrategy: () => null }),
  });
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
    throw new UsageError(
      `cannot reach PostgreSQL at ${config.DATABASE_URL} (${(error as Error).message}); start it (scripts/ensure-services.sh) or set DATABASE_URL`,
    );
  }
  const client = new InsightsClient({ redis, db, prefix: config.QUEUE_PREFIX, schema: config.DATABASE_SCHEMA });
  return {
    config,
    client,
    redis,
    store: new Store(db, config.DATABASE_SCHEMA),
    async close() {
      await client.close();
      await redis.quit().catch(() => redis.disconnect());
      await db.end();
    },
  };
}
