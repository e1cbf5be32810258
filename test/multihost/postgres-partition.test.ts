import { expect } from 'chai';
import { MultiHostFleet } from '../helpers/multihost-fleet.js';
import { describeMultiHost, printFigures } from '../helpers/multihost-suite.js';

const PARTITION_MS = 20_000;

describeMultiHost('multi-host: the PostgreSQL host partitioned for 20 s', function () {
  // Short connection timeouts are the workers' own defaults; nothing here is tuned to the partition.
  const fleet = new MultiHostFleet();
  before(() => fleet.setUp());
  after(() => fleet.tearDown());

  it('jobs retry with UNAVAILABLE and all complete, each once', async () => {
    await Promise.all([fleet.startApi(), fleet.startWorkers()]);
    const jobs = 6;
    // Held in the queue until the database is cut off, so that every one meets the partition.
    await fleet.pauseClustering(true);
    for (let i = 0; i < jobs; i++) expect((await fleet.submit(60, 300 + i)).status).to.equal(202);
    fleet.network.cut(fleet.pgHost);
    const cutAt = Date.now();
    await fleet.pauseClustering(false);
    const worker = fleet.workers.get(fleet.workerHosts[0]!)!;
    await worker.waitFor(() => fleet.workerLines('job failed').some((line) => line.code === 'UNAVAILABLE'), 'a job failed with UNAVAILABLE', {
      timeoutMs: PARTITION_MS,
    });
    const remaining = PARTITION_MS - (Date.now() - cutAt);
    if (remaining > 0) await new Promise((resolve) => setTimeout(resolve, remaining));
    fleet.network.heal(fleet.pgHost);
    const healedAt = Date.now();

    await fleet.settle(120_000);
    const recoveredMs = Date.now() - healedAt;
    const outcome = await fleet.outcome();
    expect(outcome).to.include({ accepted: jobs, completed: jobs, rows: jobs });
    const unavailable = fleet.workerLines('job failed').filter((line) => line.code === 'UNAVAILABLE').length;
    expect(unavailable).to.be.at.least(1);
    expect(fleet.workerLines('job failed').every((line) => line.code === 'UNAVAILABLE')).to.equal(true);
    const exits = await fleet.stopProcesses();
    printFigures('postgres-partition', {
      jobs: outcome.accepted,
      faults: { partition_ms: healedAt - cutAt },
      unavailable_failures: unavailable,
      reruns: outcome.reruns,
      rows: outcome.rows,
      time_to_recover_ms: recoveredMs,
      processes: exits,
    });
  });
});
