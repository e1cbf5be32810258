import { Cluster, Redis, type RedisOptions } from 'ioredis';

/** Either kind of ioredis client the exporter works with. */
export type RedisClient = Redis | Cluster;

/**
 * A Redis connection; several comma-separated URLs with `cluster` make a Redis Cluster client.
 * QueueEvents needs `maxRetriesPerRequest: null` (its reads block); the scrape connection is
 * given `enableOfflineQueue: false` and a `commandTimeout`, so that a scrape fails fast instead of
 * waiting for Redis to come back.
 */
export function connectRedis(url: string, cluster: boolean, options: RedisOptions): RedisClient {
  if (!cluster) return new Redis(url, options);
  const nodes = url.split(',').map((u) => {
    const parsed = new URL(u.trim());
    return { host: parsed.hostname, port: Number(parsed.port || 6379) };
  });
  return new Cluster(nodes, { redisOptions: options, enableOfflineQueue: options.enableOfflineQueue ?? true });
}
