import { expect } from 'chai';
import { FleetEnv } from '../helpers/fleet.js';
import { syntheticCsv } from '../helpers/synthetic-csv.js';

describe('fleet: SIGTERM with a job longer than the drain timeout', function () {
  this.timeout(120_000);
  const fleet = new FleetEnv();
  before(() => fleet.setUp());
  afterEach(() => fleet.reset());
  after(() => fleet.tearDown());

  it('hands the job back to the queue, exits 0, and another worker completes it: one result row', async () => {
    const first = await fleet.startWorker({ WORKER_DRAIN_TIMEOUT_MS: '200' });
    const { id } = await fleet.client.submitClustering('drain', { text: syntheticCsv(20_000, 13) }, { method: 'hybrid', stabilityRuns: 10 });
    await first.waitForMessage('job started', id);
    first.kill('SIGTERM');
    expect(await first.waitForExit(30_000)).to.deep.equal({ code: 0, signal: null });
    const stopped = first.lines('worker stopped')[0];
    expect(stopped?.handed_back).to.equal(1);
    expect(first.lines('job completed', id)).to.have.length(0);
    expect(first.lines('job handed back before it finished', id)).to.have.length(1);
    expect(first.lines('worker error'), 'BullMQ is not asked to fail a job it no longer holds').to.have.length(0);
    expect((await fleet.client.getJob(id)).state).to.equal('waiting');

    const second = await fleet.startWorker();
    await fleet.client.waitForResult(id, 60_000);
    await second.waitForMessage('job completed', id, { timeoutMs: 5_000 });
    const status = await fleet.client.getJob(id);
    expect(status.state).to.equal('completed');
    expect(status.attempts, 'handing back is not a failed attempt').to.equal(1);
    expect(await fleet.resultRows(id)).to.equal(1);
  });
});
