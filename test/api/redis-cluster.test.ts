import { expect } from 'chai';
import { Queue } from 'bullmq';
import type { Cluster } from 'ioredis';
import { pino } from 'pino';
import { loadApiConfig, startApi, type RunningApi } from '@insights/api';
import { FleetEnv } from '../helpers/fleet.js';
import { DATABASE_URL } from '../helpers/services.js';
import { syntheticCsv } from '../helpers/synthetic-csv.js';
import { LocalRedisCluster } from '../helpers/redis-cluster.js';

describe('api: against a three-node Redis Cluster', function () {
  this.timeout(120_000);
  const fleet = new FleetEnv();
  const cluster = new LocalRedisCluster();
  // Braces make every key of a queue hash to one slot, as BullMQ needs on a cluster.
  const prefix = `{${fleet.prefix}}`;
  let api: RunningApi | undefined;
  let redis: Cluster;

  before(async () => {
    await fleet.setUp();
    await cluster.start();
    redis = cluster.client();
    const config = loadApiConfig({
      REDIS_URL: cluster.url,
      REDIS_CLUSTER: 'true',
      QUEUE_PREFIX: prefix,
      DATABASE_URL,
      DATABASE_SCHEMA: fleet.schema,
      INSIGHTS_API_PORT: '0',
      INSIGHTS_METRICS_PORT: '0',
      INSIGHTS_API_HOST: '127.0.0.1',
      INSIGHTS_METRICS_HOST: '127.0.0.1',
      INSIGHTS_RATE_LIMIT_PER_MINUTE: '3',
    });
    const silent = pino({ level: 'silent' });
    api = await startApi(config, { log: silent, audit: silent });
  });
  after(async () => {
    await api?.stop();
    await redis?.quit().catch(() => redis.disconnect());
    await cluster.stop();
    await fleet.tearDown();
  });

  it('enqueues on the cluster, reads the job back, answers idempotent repeats and counts the rate limit there', async () => {
    const { token } = await fleet.store.createToken('cluster-org', 'cluster test');
    const post = () =>
      fetch(`http://127.0.0.1:${api!.port}/api/v1/jobs/clustering?method=kmeans&clusters=3`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv', 'idempotency-key': 'cluster-1' },
        body: syntheticCsv(40, 3),
      });
    const first = await post();
    expect(first.status).to.equal(202);
    const { id } = (await first.json()) as { id: string };
    const queue = new Queue('clustering', { connection: redis, prefix });
    try {
      expect((await queue.getJob(id))?.data).to.include({ organization: 'cluster-org' });
    } finally {
      await queue.close();
    }
    const again = await post();
    expect(again.status).to.equal(202);
    expect(((await again.json()) as { id: string }).id).to.equal(id);
    const read = () => fetch(`http://127.0.0.1:${api!.port}/api/v1/jobs/${id}`, { headers: { authorization: `Bearer ${token}` } });
    const status = await read();
    expect(status.status).to.equal(200);
    expect(((await status.json()) as { state: string }).state).to.equal('waiting');
    // The fourth request of the minute, with a limit of three.
    const limited = await read();
    expect(limited.status).to.equal(429);
    expect(limited.headers.get('retry-after')).to.match(/^\d+$/);
  });
});
