import { expect } from 'chai';
import { JobNotFoundError, NotCancellableError } from '@insights/producer';
import { FleetEnv } from '../helpers/fleet.js';
import { syntheticCsv } from '../helpers/synthetic-csv.js';

describe('fleet: cancelling jobs', function () {
  this.timeout(60_000);
  const fleet = new FleetEnv();
  before(() => fleet.setUp());
  afterEach(() => fleet.reset());
  after(() => fleet.tearDown());

  it('removes a job that has not started, and refuses one that has finished', async () => {
    const text = syntheticCsv(120, 5);
    const waiting = await fleet.client.submitClustering('cancel', { text }, { method: 'kmeans', clusters: 3, stabilityRuns: 0 });
    expect((await fleet.client.getJob(waiting.id)).state).to.equal('waiting');
    await fleet.client.cancel(waiting.id);
    try {
      await fleet.client.getJob(waiting.id);
      expect.fail('the cancelled job is still there');
    } catch (error) {
      expect(error).to.be.instanceOf(JobNotFoundError);
    }

    await fleet.startWorker();
    const done = await fleet.client.submitClustering('cancel', { text }, { method: 'kmeans', clusters: 3, stabilityRuns: 0 });
    await fleet.client.waitForResult(done.id, 30_000);
    try {
      await fleet.client.cancel(done.id);
      expect.fail('a finished job was cancelled');
    } catch (error) {
      expect(error).to.be.instanceOf(NotCancellableError);
      expect((error as NotCancellableError).state).to.equal('completed');
    }
  });

  it('prints the result of submit --wait in the format asked for', async () => {
    await fleet.startWorker();
    const file = fleet.files.write('format.csv', syntheticCsv(120, 6));
    const table = await fleet.cli(['submit', 'cluster', file, '--wait', '--method', 'kmeans', '--clusters', '3', '--format', 'table']);
    expect(table.status, table.stderr).to.equal(0);
    expect(table.stdout).to.match(/^120 people in 3 clusters · method kmeans/);
    const csv = await fleet.cli(['submit', 'teams', file, '--wait', '--method', 'kmeans', '--clusters', '3', '--teams', '20', '--format', 'csv']);
    expect(csv.status, csv.stderr).to.equal(0);
    expect(csv.stdout.split('\n')[0]).to.equal('employee_id,cluster,team');
    expect(csv.stdout.trim().split('\n')).to.have.length(121);
  });
});
