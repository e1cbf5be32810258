import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { QUEUES, type JobSummary, type QueueName } from '@insights/jobs';
import { sampleOf } from '../helpers/exposition.js';
import { deleteKeys } from '../helpers/redis-keys.js';
import { REDIS_URL } from '../helpers/services.js';
import { ExporterProcess } from './exporter-process.js';

/** The summary a worker returns for a job of this queue. */
function summaryFor(queue: QueueName): JobSummary {
  return {
    kind: queue === QUEUES.clustering ? 'clustering' : 'team-formation',
    organization: 'acme',
    method: 'kmeans',
    k: 3,
    n: 10,
    durations_ms: { queued: 1_000, run: 2_000, save: 500 },
    quality: {},
    fallback: false,
  };
}

/**
 * The outcome counters of every queue, fed by the queue events of BullMQ workers in this process
 * (no PostgreSQL, no compute): jobs added, final outcomes by code, run and submit-to-result
 * times, the longest-running active job, and when each queue was last heard of.
 */
describe('exporter: outcomes of every queue (BullMQ workers in the test process)', function () {
  this.timeout(60_000);
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  let prefix = '';
  let exporter: ExporterProcess | undefined;
  const queues = new Map<QueueName, Queue>();
  const workers: Worker[] = [];

  beforeEach(async () => {
    prefix = `exp-outcomes-${randomBytes(5).toString('hex')}`;
    exporter = await ExporterProcess.start({ REDIS_URL, QUEUE_PREFIX: prefix });
    for (const name of [QUEUES.clustering, QUEUES.teamFormation]) queues.set(name, new Queue(name, { connection: redis, prefix }));
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.close(true)));
    await Promise.all([...queues.values()].map((queue) => queue.close()));
    queues.clear();
    await exporter?.stop();
    await deleteKeys(redis, `${prefix}:*`);
  });
  after(() => redis.quit());

  function work(queue: QueueName, processor: (job: Job) => Promise<JobSummary>): void {
    workers.push(new Worker(queue, processor, { connection: redis, prefix, concurrency: 2 }));
  }

  it('counts the failures of the team-formation queue too, by code, and what completes', async () => {
    work(QUEUES.teamFormation, async (job) => {
      if (job.data.fail === 'ours') throw new UnrecoverableError('INTERNAL: team formation broke');
      if (job.data.fail === 'uncoded') throw new UnrecoverableError('something without a code');
      return summaryFor(QUEUES.teamFormation);
    });
    work(QUEUES.clustering, async () => {
      throw new UnrecoverableError('INVALID_INPUT: 3 rows for 4 clusters');
    });
    const teams = queues.get(QUEUES.teamFormation)!;
    const ours = await teams.add('teams', { fail: 'ours' }, { attempts: 1 });
    const uncoded = await teams.add('teams', { fail: 'uncoded' }, { attempts: 1 });
    const fine = await teams.add('teams', {});
    const refused = await queues.get(QUEUES.clustering)!.add('cluster', { organization: 'acme', options: { method: 'kmeans' } }, { attempts: 1 });
    for (const job of [ours, uncoded]) await exporter!.recorded('failed', job.id!);
    await exporter!.recorded('completed', fine.id!);
    await exporter!.recorded('failed', refused.id!);
    for (const job of [ours, uncoded, fine, refused]) await exporter!.recorded('added', job.id!);

    const { metrics } = await exporter!.scrape();
    const finished = (queue: string, status: string, code: string) => sampleOf(metrics, 'insights_jobs_finished_total', { queue, status, code });
    expect(finished('team-formation', 'failed', 'INTERNAL'), 'a coded and an uncoded failure of ours').to.equal(2);
    expect(finished('team-formation', 'completed', 'none')).to.equal(1);
    expect(finished('team-formation', 'failed', 'INVALID_INPUT')).to.equal(0);
    expect(finished('clustering', 'failed', 'INVALID_INPUT')).to.equal(1);
    expect(finished('clustering', 'failed', 'INTERNAL')).to.equal(0);
    expect(sampleOf(metrics, 'insights_jobs_added_total', { queue: 'team-formation' })).to.equal(3);
    expect(sampleOf(metrics, 'insights_jobs_added_total', { queue: 'clustering' })).to.equal(1);
    expect(sampleOf(metrics, 'insights_job_run_seconds_sum', { queue: 'team-formation' })).to.equal(2.5);
    expect(sampleOf(metrics, 'insights_job_result_seconds_sum', { queue: 'team-formation' })).to.equal(3.5);
    expect(sampleOf(metrics, 'insights_job_result_seconds_bucket', { queue: 'team-formation', le: '5' })).to.equal(1);
    expect(sampleOf(metrics, 'insights_job_result_seconds_count', { queue: 'clustering' }), 'no result, no observation').to.equal(0);
  });

  it('reports how long the longest-running active job has run, and when each queue was last heard of', async () => {
    const started = Date.now() / 1000;
    const initial = (await exporter!.scrape()).metrics;
    expect(sampleOf(initial, 'insights_queue_last_event_timestamp_seconds', { queue: 'clustering' })).to.equal(0);
    expect(sampleOf(initial, 'insights_queue_oldest_active_age_seconds', { queue: 'clustering' })).to.equal(0);

    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    work(QUEUES.clustering, async () => {
      await gate;
      return summaryFor(QUEUES.clustering);
    });
    const first = await queues.get(QUEUES.clustering)!.add('cluster', { organization: 'acme', options: {} });
    await exporter!.recorded('active', first.id!);
    const second = await queues.get(QUEUES.clustering)!.add('cluster', { organization: 'acme', options: {} });
    await exporter!.recorded('active', second.id!);
    const processedOn = Number(await redis.hget(`${prefix}:clustering:${first.id}`, 'processedOn'));

    const before = Date.now();
    const { metrics } = await exporter!.scrape();
    const age = sampleOf(metrics, 'insights_queue_oldest_active_age_seconds', { queue: 'clustering' });
    // The first job's age, read between the scrape's start and end.
    expect(age).to.be.within((before - processedOn) / 1000 - 0.001, (Date.now() - processedOn) / 1000 + 0.001);
    expect(sampleOf(metrics, 'insights_queue_oldest_active_age_seconds', { queue: 'team-formation' })).to.equal(0);
    expect(sampleOf(metrics, 'insights_queue_last_event_timestamp_seconds', { queue: 'clustering' })).to.be.within(started, Date.now() / 1000);
    expect(sampleOf(metrics, 'insights_queue_last_event_timestamp_seconds', { queue: 'team-formation' })).to.equal(0);
    release();
    await exporter!.recorded('completed', second.id!);
  });
});
