import { expect } from 'chai';
import { FleetEnv } from '../helpers/fleet.js';
import { syntheticCsv } from '../helpers/synthetic-csv.js';
import { proxiedFleet } from '../helpers/tcp-proxy.js';

describe('fleet: Redis unreachable for a few seconds mid-run', function () {
  this.timeout(120_000);
  const fleet = new FleetEnv();
  const proxy = proxiedFleet(fleet, 6379);

  it('reconnects and completes every job, one result row each', async () => {
    const worker = await fleet.startWorker({ REDIS_URL: `redis://127.0.0.1:${proxy.port}` });
    const text = syntheticCsv(3_000, 8);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await fleet.client.submitClustering('outage', { text }, { method: 'hybrid', clusters: 4, seed: i })).id);
    await worker.waitForMessage('job started', ids[0]);

    const before = worker.logs.length;
    await proxy.down();
    // Redis stays away until the worker has noticed: its connection errors are logged.
    await worker.waitForLog((line) => line.msg === 'worker error', { since: before, what: 'the worker to notice the outage', timeoutMs: 20_000 });
    // ... and its health check has timed out on it (3 s): the outage lasts a few seconds.
    const health = await fetch(`http://127.0.0.1:${worker.port}/health`);
    expect(health.status).to.equal(503);
    const body = (await health.json()) as { status: string; checks: Record<string, { status: string }> };
    expect(body.status).to.equal('unhealthy');
    expect(body.checks.redis?.status).to.equal('unhealthy');
    expect(body.checks.database?.status).to.equal('healthy');
    await proxy.up();

    for (const id of ids) await fleet.client.waitForResult(id, 90_000);
    for (const id of ids) expect(await fleet.resultRows(id), `rows of ${id}`).to.equal(1);
    for (const id of ids) expect((await fleet.client.getJob(id)).state).to.equal('completed');
    expect(worker.running, 'the worker lived through the outage').to.equal(true);
  });
});
