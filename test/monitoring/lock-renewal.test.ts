import { expect } from 'chai';
import { parseExposition, sampleOf } from '../helpers/exposition.js';
import { FleetEnv } from '../helpers/fleet.js';
import { syntheticCsv } from '../helpers/synthetic-csv.js';

/** About 2–3 s of hybrid clustering on one thread: long enough to take the lock away while it runs. */
const LONG_JOB_PEOPLE = 20_000;

/**
 * A worker process that cannot renew a job's lock (here: the lock key is gone, as after a Redis
 * failover or a lock that lapsed during a long event-loop block) counts it in
 * `insights_worker_lock_renewal_failures_total`: the job will stall and run again elsewhere, and
 * nothing else on the worker shows it.
 */
describe('worker: lock renewal failures counted (real Redis, PostgreSQL and worker process)', function () {
  this.timeout(45_000);
  const fleet = new FleetEnv();

  before(() => fleet.setUp());
  afterEach(() => fleet.reset());
  after(() => fleet.tearDown());

  it('counts a job whose lock it could not renew, per queue, from 0', async () => {
    // Locks of 1 s are renewed every 500 ms.
    const worker = await fleet.startWorker({ WORKER_LOCK_MS: '1000', WORKER_STALLED_INTERVAL_MS: '60000' });
    const scrape = async () => parseExposition(await (await fetch(`http://127.0.0.1:${worker.port}/metrics`)).text());
    const before = await scrape();
    expect(sampleOf(before, 'insights_worker_lock_renewal_failures_total', { queue: 'clustering' })).to.equal(0);
    expect(sampleOf(before, 'insights_worker_lock_renewal_failures_total', { queue: 'team-formation' })).to.equal(0);

    const { id } = await fleet.client.submitClustering('acme', { text: syntheticCsv(LONG_JOB_PEOPLE, 3) }, { method: 'hybrid', stabilityRuns: 5 });
    await worker.waitForMessage('job started', id);
    expect(await fleet.redis.del(`${fleet.prefix}:clustering:${id}:lock`), 'the lock was held').to.equal(1);
    const warned = await worker.waitForMessage('could not renew job locks; the jobs will stall');
    expect(warned.job_ids).to.deep.equal([id]);

    const after = await scrape();
    expect(sampleOf(after, 'insights_worker_lock_renewal_failures_total', { queue: 'clustering' })).to.be.at.least(1);
    expect(sampleOf(after, 'insights_worker_lock_renewal_failures_total', { queue: 'team-formation' })).to.equal(0);
  });
});
