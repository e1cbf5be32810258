import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { Queue, Worker } from 'bullmq';
import type { Cluster } from 'ioredis';
import { QUEUES, type JobSummary } from '@insights/jobs';
import { eventually } from '../helpers/eventually.js';
import { sampleOf } from '../helpers/exposition.js';
import { LocalRedisCluster } from '../helpers/redis-cluster.js';
import { ExporterProcess } from './exporter-process.js';

describe('exporter: against a three-node Redis Cluster', function () {
  this.timeout(90_000);
  const cluster = new LocalRedisCluster();
  // Braces make every key of the prefix hash to one slot, as BullMQ needs on a cluster.
  const prefix = `{exp-cluster-${randomBytes(4).toString('hex')}}`;
  let redis: Cluster | undefined;
  let exporter: ExporterProcess | undefined;

  before(async () => {
    await cluster.start();
    redis = cluster.client();
  });
  after(async () => {
    await exporter?.stop();
    await redis?.quit().catch(() => redis?.disconnect());
    await cluster.stop();
  });

  it('reads queue depth and workers, and counts completed jobs, with REDIS_CLUSTER=true', async () => {
    exporter = await ExporterProcess.start({ REDIS_URL: cluster.url, REDIS_CLUSTER: 'true', QUEUE_PREFIX: prefix });
    const queue = new Queue(QUEUES.clustering, { connection: redis!, prefix });
    const summary: JobSummary = {
      kind: 'clustering',
      organization: 'acme',
      method: 'lsm',
      k: 8,
      n: 30,
      durations_ms: { queued: 3, run: 40, save: 2 },
      quality: { silhouette: 0.7 },
      fallback: false,
    };
    const worker = new Worker(QUEUES.clustering, async () => summary, { connection: redis!, prefix });
    try {
      const job = await queue.add('cluster', { organization: 'acme', options: { method: 'lsm' } });
      await exporter.recorded('completed', job.id!);
      await eventually(
        async () => sampleOf((await exporter!.scrape()).metrics, 'insights_queue_workers', { queue: QUEUES.clustering }) === 1,
        () => 'the worker to show among the cluster’s connections',
      );
    } finally {
      await worker.close();
    }
    await queue.add('cluster', { organization: 'acme', options: {} });
    await queue.add('cluster', { organization: 'acme', options: {} });
    await queue.close();

    const { metrics } = await exporter.scrape();
    expect(sampleOf(metrics, 'insights_exporter_up')).to.equal(1);
    expect(sampleOf(metrics, 'insights_queue_jobs', { queue: QUEUES.clustering, state: 'waiting' })).to.equal(2);
    expect(sampleOf(metrics, 'insights_queue_jobs', { queue: QUEUES.clustering, state: 'completed' })).to.equal(1);
    expect(sampleOf(metrics, 'insights_queue_oldest_waiting_age_seconds', { queue: QUEUES.clustering })).to.be.within(0, 30);
    expect(sampleOf(metrics, 'clustering_jobs_total', { method: 'lsm', status: 'completed', organization: 'acme' })).to.equal(1);
    expect(sampleOf(metrics, 'clustering_duration_seconds_count', { method: 'lsm', cluster_count: '7-10' })).to.equal(1);
  });
});
