import { expect } from 'chai';
import { MultiHostFleet } from '../helpers/multihost-fleet.js';
import { describeMultiHost, printFigures } from '../helpers/multihost-suite.js';

/** `master_repl_offset` / `slave_repl_offset` from INFO replication. */
function offset(info: string, key: string): number {
  return Number(new RegExp(`${key}:(\\d+)`).exec(info)?.[1] ?? NaN);
}

describeMultiHost('multi-host: what a Redis failover loses while the replica lags', function () {
  const fleet = new MultiHostFleet();
  before(() => fleet.setUp());
  after(() => fleet.tearDown());

  it('loses exactly the jobs accepted after the replica last caught up; the rest run once', async () => {
    await fleet.startApi();
    const master = fleet.cluster.masterOf(`${fleet.prefix}:clustering:wait`);
    const replica = fleet.cluster.replicaOf(master);
    const kept = [];
    for (let i = 0; i < 3; i++) kept.push(await fleet.submit(60, 600 + i));
    await fleet.cluster.until(
      () => offset(fleet.cluster.replication(replica), 'slave_repl_offset') >= offset(fleet.cluster.replication(master), 'master_repl_offset'),
      'the replica to catch up',
    );

    // The replication stream stops reaching the replica (its link to the master drops those
    // packets); everything else, the cluster bus included, still flows.
    replica.host.exec(
      'nft',
      ['-f', '-'],
      `table inet lag {\n  chain in {\n    type filter hook input priority 0;\n    ip saddr ${master.host.address} tcp sport ${master.port} drop\n  }\n}\n`,
    );
    const window = [];
    for (let i = 0; i < 3; i++) window.push(await fleet.submit(60, 700 + i));
    const lagBytes = offset(fleet.cluster.replication(master), 'master_repl_offset') - offset(fleet.cluster.replication(replica), 'slave_repl_offset');
    fleet.network.cut(master.host);
    await master.host.killAll();
    replica.host.exec('nft', ['delete', 'table', 'inet', 'lag']);
    const promotedMs = await fleet.cluster.until(() => /role:master/.test(fleet.cluster.replication(replica)), 'the replica to be promoted', 60_000);

    expect([...kept, ...window].map((s) => s.status)).to.deep.equal([202, 202, 202, 202, 202, 202]);
    await fleet.startWorkers();
    await fleet.settle();
    const outcome = await fleet.outcome();
    expect(outcome.lost.sort()).to.deep.equal(window.map((s) => s.id!).sort());
    expect(outcome).to.include({ accepted: 6, completed: 3, rows: 3 });
    // What the submitter of a lost job is told: the API's job index knows the job, Redis does not.
    const seen = await fleet.jobStatus(window[0]!.id!);
    const exits = await fleet.stopProcesses();
    printFigures('failover-loss', {
      jobs: outcome.accepted,
      faults: { replication_stopped_then_master_killed: master.host.name, replication_lag_bytes: lagBytes },
      lost_accepted_jobs: outcome.lost.length,
      reruns: outcome.reruns,
      rows: outcome.rows,
      lost_job_seen_as: seen,
      promotion_ms: promotedMs,
      processes: exits,
    });
  });
});
