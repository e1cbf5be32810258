import { expect } from 'chai';
import { Cluster, Redis } from 'ioredis';
import { CLUSTER_SLOTS_REFRESH_MS, connectRedis } from './redis.js';

describe('connectRedis', () => {
  it('makes a plain client of one URL and a cluster client of seed nodes, with the options given', () => {
    const plain = connectRedis('redis://127.0.0.1:6390', false, { lazyConnect: true, connectionName: 'x' });
    expect(plain).to.be.instanceOf(Redis);
    expect(plain.options).to.include({ port: 6390, connectionName: 'x' });
    const cluster = connectRedis('redis://10.0.0.1:7000, redis://10.0.0.2', true, { lazyConnect: true, maxRetriesPerRequest: 1 });
    expect(cluster).to.be.instanceOf(Cluster);
    expect((cluster as unknown as { startupNodes: unknown }).startupNodes).to.deep.equal([
      { host: '10.0.0.1', port: 7000 },
      { host: '10.0.0.2', port: 6379 },
    ]);
    expect((cluster as Cluster).options.redisOptions).to.include({ maxRetriesPerRequest: 1 });
    // A failover behind a vanished host is learnt only from a fresh slot map (test/multihost/redis-failover.test.ts).
    expect((cluster as Cluster).options.slotsRefreshInterval).to.equal(CLUSTER_SLOTS_REFRESH_MS);
    plain.disconnect();
    cluster.disconnect();
  });
});
