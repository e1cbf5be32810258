import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { QUEUES } from '@insights/jobs';
import { sampleOf } from '../helpers/exposition.js';
import { deleteKeys } from '../helpers/redis-keys.js';
import { REDIS_URL } from '../helpers/services.js';
import { ExporterProcess } from './exporter-process.js';

/**
 * `insights_queue_paused` against a real BullMQ queue: what Queue.pause() (the responder's, or an
 * operator's) and Queue.resume() write to Redis is what the exporter reads.
 */
describe('exporter: a paused queue (BullMQ Queue.pause on a real Redis)', function () {
  this.timeout(60_000);
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const prefix = `exp-paused-${randomBytes(5).toString('hex')}`;
  let exporter: ExporterProcess | undefined;
  let queue: Queue | undefined;

  after(async () => {
    await queue?.close();
    await exporter?.stop();
    await deleteKeys(redis, `${prefix}:*`);
    await redis.quit();
  });

  it('reports insights_queue_paused 1 while the queue is paused, with its jobs still waiting, and 0 once resumed', async () => {
    exporter = await ExporterProcess.start({ REDIS_URL, QUEUE_PREFIX: prefix });
    queue = new Queue(QUEUES.clustering, { connection: redis, prefix });
    const data = { organization: 'acme', datasetId: '0'.repeat(64), options: {} };
    await queue.add('cluster', data);
    await queue.add('cluster', data);

    const running = (await exporter.scrape()).metrics;
    expect(sampleOf(running, 'insights_queue_paused', { queue: QUEUES.clustering })).to.equal(0);
    expect(sampleOf(running, 'insights_queue_paused', { queue: QUEUES.teamFormation }), 'a queue never used is not paused').to.equal(0);

    await queue.pause();
    const paused = (await exporter.scrape()).metrics;
    expect(sampleOf(paused, 'insights_queue_paused', { queue: QUEUES.clustering })).to.equal(1);
    expect(sampleOf(paused, 'insights_queue_paused', { queue: QUEUES.teamFormation })).to.equal(0);
    expect(sampleOf(paused, 'insights_queue_jobs', { queue: QUEUES.clustering, state: 'waiting' }), 'its jobs still wait').to.equal(2);

    await queue.add('cluster', data);
    const added = (await exporter.scrape()).metrics;
    expect(sampleOf(added, 'insights_queue_paused', { queue: QUEUES.clustering }), 'jobs added while paused').to.equal(1);
    expect(sampleOf(added, 'insights_queue_jobs', { queue: QUEUES.clustering, state: 'waiting' })).to.equal(3);

    await queue.resume();
    const resumed = (await exporter.scrape()).metrics;
    expect(sampleOf(resumed, 'insights_queue_paused', { queue: QUEUES.clustering })).to.equal(0);
    expect(sampleOf(resumed, 'insights_queue_jobs', { queue: QUEUES.clustering, state: 'waiting' })).to.equal(3);
  });
});
