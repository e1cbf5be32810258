import { expect } from 'chai';
import { QUEUES } from '@insights/jobs';
import type { Exposition } from '../helpers/exposition.js';
import { MultiHostFleet } from '../helpers/multihost-fleet.js';
import { describeMultiHost, printFigures } from '../helpers/multihost-suite.js';

/** `insights_queue_jobs` of one queue and state (NaN when the series is absent). */
function gauge(metrics: Exposition, queue: string, state: string): number {
  return (metrics.get('insights_queue_jobs') ?? []).find((s) => s.labels.queue === queue && s.labels.state === state)?.value ?? NaN;
}

describeMultiHost('multi-host: the exporter while the master of the queues fails over', function () {
  const fleet = new MultiHostFleet();
  before(() => fleet.setUp());
  after(() => fleet.tearDown());

  it('reports the per-queue gauges right before and after the failover', async () => {
    await fleet.startApi();
    await fleet.startExporter();
    const waiting = 6;
    for (let i = 0; i < waiting; i++) expect((await fleet.submit(60, 200 + i)).status).to.equal(202);
    const before = await fleet.scrapeExporter();
    expect(gauge(before, QUEUES.clustering, 'waiting')).to.equal(waiting);
    expect(gauge(before, QUEUES.teamFormation, 'waiting')).to.equal(0);

    const master = fleet.cluster.masterOf(`${fleet.prefix}:clustering:wait`);
    const replica = fleet.cluster.replicaOf(master);
    const killedAt = Date.now();
    fleet.network.cut(master.host);
    await master.host.killAll();
    expect(fleet.cluster.nodes.filter((n) => n.host === master.host).map((n) => n.process.running)).to.deep.equal([false, false]);
    await fleet.cluster.until(() => /role:master/.test(fleet.cluster.replication(replica)), 'the replica to be promoted', 30_000);

    // Scrapes during the failover may fail (exporter_up 0); the first good one after it must be right.
    let scrapes = 0;
    let down = 0;
    let after: Exposition | undefined;
    const deadline = Date.now() + 60_000;
    while (!after && Date.now() < deadline) {
      scrapes++;
      const metrics = await fleet.scrapeExporter();
      if (metrics.get('insights_exporter_up')?.[0]?.value === 1 && !Number.isNaN(gauge(metrics, QUEUES.clustering, 'waiting'))) after = metrics;
      else down++;
    }
    expect(after, 'a good scrape after the failover').to.not.equal(undefined);
    const recoveredMs = Date.now() - killedAt;
    expect(gauge(after!, QUEUES.clustering, 'waiting')).to.equal(waiting);
    expect(gauge(after!, QUEUES.teamFormation, 'waiting')).to.equal(0);

    await fleet.startWorkers();
    await fleet.settle();
    const outcome = await fleet.outcome();
    expect(outcome).to.include({ accepted: waiting, completed: waiting, rows: waiting });
    const drained = await fleet.scrapeExporter();
    expect(gauge(drained, QUEUES.clustering, 'waiting')).to.equal(0);
    expect(gauge(drained, QUEUES.clustering, 'completed')).to.equal(waiting);
    const exits = await fleet.stopProcesses();
    printFigures('exporter-failover', {
      jobs: outcome.accepted,
      faults: { killed: master.host.name },
      reruns: outcome.reruns,
      rows: outcome.rows,
      scrapes_after_kill: scrapes,
      scrapes_down: down,
      time_to_recover_ms: recoveredMs,
      processes: exits,
    });
  });
});
