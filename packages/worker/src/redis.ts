import { Cluster, Redis } from 'ioredis';

/**
 * A Redis connection as BullMQ workers need it (`maxRetriesPerRequest: null`, so that blocking
 * commands wait through a Redis restart instead of failing). Several comma-separated URLs with
 * `cluster` make a Redis Cluster client.
 */
export function connectRedis(url: string, cluster: boolean): Redis | Cluster {
  if (!cluster) return new Redis(url, { maxRetriesPerRequest: null });
  const nodes = url.split(',').map((u) => {
    const parsed = new URL(u.trim());
    return { host: parsed.hostname, port: Number(parsed.port || 6379) };
  });
  return new Cluster(nodes, { redisOptions: { maxRetriesPerRequest: null } });
}
