import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { QUEUES, type JobSummary } from '@insights/jobs';
import { sampleOf } from '../helpers/exposition.js';
import { deleteKeys } from '../helpers/redis-keys.js';
import { REDIS_URL } from '../helpers/services.js';
import { ExporterProcess, samplesOf } from './exporter-process.js';
import { expectBoundedLabels } from './labels.js';

/** The summary a worker would return for a clustering job of this organisation. */
function summaryFor(organization: string): JobSummary {
  return {
    kind: 'clustering',
    organization,
    method: 'kmeans',
    k: 4,
    n: 10,
    durations_ms: { queued: 5, run: 20, save: 1 },
    quality: { silhouette: 0.5 },
    fallback: false,
  };
}

/**
 * Queue events produced by BullMQ workers in this process (no PostgreSQL, no compute): retries,
 * stalls and the organisation cap, as the exporter process sees them through Redis.
 */
describe('exporter: retries, stalls and the organisation cap (BullMQ workers in the test process)', function () {
  this.timeout(60_000);
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  let prefix = '';
  let exporter: ExporterProcess | undefined;
  let queue: Queue | undefined;
  const workers: Worker[] = [];

  beforeEach(async () => {
    prefix = `exp-events-${randomBytes(5).toString('hex')}`;
    exporter = await ExporterProcess.start({ REDIS_URL, QUEUE_PREFIX: prefix });
    queue = new Queue(QUEUES.clustering, { connection: redis, prefix });
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.close(true)));
    await queue?.close();
    await exporter?.stop();
    await deleteKeys(redis, `${prefix}:*`);
  });
  after(() => redis.quit());

  /** Starts a worker on the clustering queue of this test's prefix. */
  function work(processor: (job: Job) => Promise<JobSummary>, options: { stalledInterval?: number } = {}): Worker {
    const worker = new Worker(QUEUES.clustering, processor, { connection: redis, prefix, concurrency: 1, ...options });
    workers.push(worker);
    return worker;
  }

  it('counts a failed attempt put back for its backoff as a retry, and nothing else', async () => {
    work(async (job) => {
      if (job.data.fail === 'unrecoverable') throw new UnrecoverableError('INVALID_INPUT: no');
      if (job.data.fail === 'once' && job.attemptsMade === 0) throw new Error('UNAVAILABLE: try again');
      return summaryFor('acme');
    });
    const retried = await queue!.add(
      'cluster',
      { organization: 'acme', options: { method: 'kmeans' }, fail: 'once' },
      { attempts: 3, backoff: { type: 'fixed', delay: 100 } },
    );
    const refused = await queue!.add(
      'cluster',
      { organization: 'acme', options: { method: 'snn' }, fail: 'unrecoverable' },
      { attempts: 3, backoff: { type: 'fixed', delay: 100 } },
    );
    const later = await queue!.add('cluster', { organization: 'acme', options: { method: 'kmeans' } }, { delay: 200 });

    const delayed = await exporter!.recorded('delayed', retried.id!);
    expect(delayed.retry).to.equal(true);
    expect((await exporter!.recorded('delayed', later.id!)).retry, 'a job added with a delay is no retry').to.equal(false);
    await exporter!.recorded('completed', retried.id!);
    await exporter!.recorded('completed', later.id!);
    await exporter!.recorded('failed', refused.id!);

    const { metrics } = await exporter!.scrape();
    expect(sampleOf(metrics, 'insights_jobs_retried_total', { queue: QUEUES.clustering })).to.equal(1);
    expect(sampleOf(metrics, 'insights_jobs_retried_total', { queue: QUEUES.teamFormation })).to.equal(0);
    expect(sampleOf(metrics, 'clustering_jobs_total', { method: 'kmeans', status: 'completed', organization: 'acme' })).to.equal(2);
    expect(sampleOf(metrics, 'clustering_jobs_total', { method: 'snn', status: 'failed', organization: 'acme' })).to.equal(1);
  });

  it('counts a job whose worker stopped renewing its lock as stalled', async () => {
    const job = await queue!.add('cluster', { organization: 'acme', options: {} });
    // A worker that takes the job and then never renews its lock, as a killed one would.
    const lost = new Worker(QUEUES.clustering, null, { connection: redis, prefix, lockDuration: 1_000 });
    workers.push(lost);
    expect((await lost.getNextJob('lost-token'))?.id).to.equal(job.id);
    work(async () => summaryFor('acme'), { stalledInterval: 300 });

    await exporter!.recorded('stalled', job.id!, 15_000);
    await exporter!.recorded('completed', job.id!, 15_000);
    const { metrics } = await exporter!.scrape();
    expect(sampleOf(metrics, 'insights_jobs_stalled_total', { queue: QUEUES.clustering })).to.equal(1);
    expect(sampleOf(metrics, 'insights_jobs_stalled_total', { queue: QUEUES.teamFormation })).to.equal(0);
  });

  it('starts a new organisation’s series at 0 once its job is active, so that its first failure shows in increase()', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    work(async () => {
      await gate;
      throw new UnrecoverableError('INVALID_INPUT: no');
    });
    const job = await queue!.add('cluster', { organization: 'newco', options: { method: 'esn' } }, { attempts: 1 });
    await exporter!.recorded('active', job.id!);
    const before = (await exporter!.scrape()).metrics;
    // A scrape while the job runs already has the series, at 0: Prometheus' increase() and rate()
    // count the failure as 0 → 1. Without it the series would be born at 1 and show no increase.
    expect(sampleOf(before, 'clustering_jobs_total', { method: 'esn', status: 'failed', organization: 'newco' })).to.equal(0);
    expect(sampleOf(before, 'clustering_jobs_total', { method: 'esn', status: 'completed', organization: 'newco' })).to.equal(0);
    release();
    await exporter!.recorded('failed', job.id!);
    const after = (await exporter!.scrape()).metrics;
    expect(sampleOf(after, 'clustering_jobs_total', { method: 'esn', status: 'failed', organization: 'newco' })).to.equal(1);
    expect(sampleOf(after, 'clustering_jobs_total', { method: 'esn', status: 'completed', organization: 'newco' })).to.equal(0);
  });

  it('reports the 51st organisation as `other` (INSIGHTS_EXPORTER_MAX_ORGS defaults to 50)', async () => {
    const organizations = Array.from({ length: 51 }, (_, i) => `org-${String(i + 1).padStart(2, '0')}`);
    const jobs = await queue!.addBulk(organizations.map((organization) => ({ name: 'cluster', data: { organization, options: { method: 'kmeans' } } })));
    work(async (job) => summaryFor(job.data.organization as string));
    for (const job of jobs) await exporter!.recorded('completed', job.id!);
    for (const job of jobs) await exporter!.recorded('active', job.id!);

    const { metrics } = await exporter!.scrape();
    const byOrganization = (status: string) =>
      Object.fromEntries(
        samplesOf(metrics, 'clustering_jobs_total')
          .filter((s) => s.labels.status === status)
          .map((s) => [s.labels.organization, s.value]),
      );
    expect(byOrganization('completed')).to.deep.equal(Object.fromEntries([...organizations.slice(0, 50).map((org) => [org, 1]), ['other', 1]]));
    expect(byOrganization('failed'), 'started at 0 when the jobs became active, under the same cap').to.deep.equal(
      Object.fromEntries([...organizations.slice(0, 50).map((org) => [org, 0]), ['other', 0]]),
    );
    expectBoundedLabels(
      metrics,
      organizations.slice(0, 50),
      jobs.map((job) => `${prefix}:${job.id}`),
    );
  });
});
