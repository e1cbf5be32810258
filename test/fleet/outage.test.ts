import { expect } from 'chai';
import { FleetEnv } from '../helpers/fleet.js';
import { syntheticCsv } from '../helpers/synthetic-csv.js';
import { proxiedFleet } from '../helpers/tcp-proxy.js';

describe('fleet: PostgreSQL unreachable for a few seconds mid-run', function () {
  this.timeout(120_000);
  const fleet = new FleetEnv();
  const proxy = proxiedFleet(fleet, 5432);

  it('retries the jobs that met the outage with backoff, completes all, one result row each', async () => {
    const worker = await fleet.startWorker({ DATABASE_URL: `postgres://postgres@127.0.0.1:${proxy.port}/test` });
    const events = await fleet.record('clustering');
    const text = syntheticCsv(200, 3);
    const first = await fleet.client.submitClustering('outage', { text }, { method: 'kmeans', clusters: 4, stabilityRuns: 0 });
    await events.waitFor((e) => e.jobId === first.id && e.event === 'completed', 'the first job to complete');

    await proxy.down();
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      ids.push((await fleet.client.submitClustering('outage', { text }, { method: 'kmeans', clusters: 4, seed: i, stabilityRuns: 0 })).id);
    }
    const unavailable = await worker.waitForLog((line) => line.msg === 'job failed' && line.code === 'UNAVAILABLE', { what: 'a job failing with UNAVAILABLE' });
    expect(ids).to.include(unavailable.job_id);
    await proxy.up();

    for (const id of ids) await events.waitFor((e) => e.jobId === id && e.event === 'completed', `job ${id} to complete after the outage`, 60_000);
    for (const id of [first.id, ...ids]) expect(await fleet.resultRows(id), `rows of ${id}`).to.equal(1);
    const retried = await fleet.queue('clustering').getJob(String(unavailable.job_id));
    expect(retried?.attemptsMade).to.be.at.least(2);
  });
});
