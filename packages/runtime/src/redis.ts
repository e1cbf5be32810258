import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { raceTimeout } from './timeout.js';

/** Either kind of ioredis client the services work with. */
export type RedisClient = Redis | Cluster;

/**
 * How often a cluster client reads the slot map again (ms). Without it a client learns of a
 * failover only from a MOVED reply or a closed connection; a master whose host vanished closes
 * nothing, so commands waited on it for good. A fresh map drops the failed node, which ends its
 * connections and sends their commands to the promoted replica.
 */
export const CLUSTER_SLOTS_REFRESH_MS = 2_000;

/**
 * A Redis connection from `REDIS_URL`: one URL makes a plain client; with `cluster`, several
 * comma-separated URLs (seed nodes) make a Redis Cluster client with the same options per node,
 * which re-reads the slot map every CLUSTER_SLOTS_REFRESH_MS.
 */
export function connectRedis(url: string, cluster: boolean, options: RedisOptions = {}): RedisClient {
  if (!cluster) return new Redis(url, options);
  const nodes = url.split(',').map((u) => {
    const parsed = new URL(u.trim());
    return { host: parsed.hostname, port: Number(parsed.port || 6379) };
  });
  // lazyConnect belongs to the cluster client itself: its nodes connect when it does.
  return new Cluster(nodes, {
    redisOptions: options,
    lazyConnect: options.lazyConnect ?? false,
    enableOfflineQueue: options.enableOfflineQueue ?? true,
    slotsRefreshInterval: CLUSTER_SLOTS_REFRESH_MS,
  });
}

/**
 * Closes a connection politely (QUIT) when Redis answers within `timeoutMs`, and drops it
 * otherwise: QUIT waits in the offline queue while Redis is down or frozen, which would hold a
 * shutdown forever.
 */
export async function closeRedis(client: RedisClient, timeoutMs = 1_000): Promise<void> {
  const quit = client.quit().then(
    () => true,
    () => false,
  );
  const polite = await raceTimeout(quit, timeoutMs, () => false);
  if (!polite) client.disconnect();
}
