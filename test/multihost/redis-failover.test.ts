import { expect } from 'chai';
import type { Redis } from 'ioredis';
import { MultiHostFleet, type Submission } from '../helpers/multihost-fleet.js';
import { describeMultiHost, printFigures } from '../helpers/multihost-suite.js';

/** A stream of submissions through the API, one after another, until stopped (bounded in count). */
function submitUntil(fleet: MultiHostFleet, stop: { now: boolean }, max = 300): Promise<(Submission & { sentAt: number; at: number })[]> {
  return (async () => {
    const sent: (Submission & { sentAt: number; at: number })[] = [];
    for (let i = 0; i < max && !stop.now; i++) {
      const sentAt = Date.now();
      sent.push({ ...(await fleet.submit(60, 100 + i)), sentAt, at: Date.now() });
    }
    return sent;
  })();
}

/** Median of a list of numbers. */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

describeMultiHost('multi-host: the Redis master of the queues killed with its host', function () {
  const fleet = new MultiHostFleet();
  before(() => fleet.setUp());
  after(() => fleet.tearDown());

  it('promotes its replica; the fleet follows the new topology and carries on', async () => {
    await Promise.all([fleet.startApi(), fleet.startWorkers()]);
    const master = fleet.cluster.masterOf(`${fleet.prefix}:clustering:wait`);
    const replica = fleet.cluster.replicaOf(master);

    // What a WAIT for one replica would add to a write on this master, measured on one connection.
    const node = fleet.redis.nodes('master').find((n) => n.options.host === master.host.address && n.options.port === master.port) as Redis;
    const plain: number[] = [];
    const waited: number[] = [];
    for (let i = 0; i < 50; i++) {
      let started = performance.now();
      await node.set(`${fleet.prefix}:wait-probe`, String(i));
      plain.push(performance.now() - started);
      started = performance.now();
      await node.set(`${fleet.prefix}:wait-probe`, String(i));
      const acked = (await node.call('WAIT', '1', '1000')) as number;
      waited.push(performance.now() - started);
      expect(acked).to.equal(1);
    }
    await node.del(`${fleet.prefix}:wait-probe`);

    const stop = { now: false };
    const stream = submitUntil(fleet, stop);
    await fleet.workers
      .get(fleet.workerHosts[0]!)!
      .waitFor(() => fleet.workerLines('job completed').length >= 6, 'six jobs completed before the failover', { timeoutMs: 60_000 });

    const lagBytes = (() => {
      const offset = (text: string, key: string) => Number(new RegExp(`${key}:(\\d+)`).exec(text)?.[1] ?? NaN);
      // Master read first: a replica that has caught up by the time it is read reads as 0.
      return Math.max(0, offset(fleet.cluster.replication(master), 'master_repl_offset') - offset(fleet.cluster.replication(replica), 'slave_repl_offset'));
    })();
    const killedAt = Date.now();
    const completedBefore = fleet.workerLines('job completed').length;
    fleet.network.cut(master.host);
    await master.host.killAll();
    expect(fleet.cluster.nodes.filter((n) => n.host === master.host).map((n) => n.process.running)).to.deep.equal([false, false]);
    const promotedMs = await fleet.cluster.until(() => /role:master/.test(fleet.cluster.replication(replica)), 'the replica to be promoted', 30_000);

    // The fleet carries on: six more jobs accepted and completed after the kill.
    await fleet.workers
      .get(fleet.workerHosts[0]!)!
      .waitFor(() => fleet.workerLines('job completed').length >= completedBefore + 6, 'six jobs completed after the failover', { timeoutMs: 90_000 });
    stop.now = true;
    const sent = await stream;
    await fleet.settle();
    const outcome = await fleet.outcome();

    const firstAcceptedAfter = sent.find((s) => s.sentAt > killedAt && s.status === 202);
    const refused = sent.filter((s) => s.status !== 202);
    // Asynchronous replication: only a job acknowledged in the moment before the kill may be missing.
    const lostLate = outcome.lost.filter((id) => sent.find((s) => s.id === id)!.at < killedAt - 1_000);
    expect(lostLate, 'jobs accepted well before the kill and lost').to.deep.equal([]);
    expect(outcome.completed + outcome.failed.length + outcome.lost.length).to.equal(outcome.accepted);
    expect(firstAcceptedAfter, 'a job accepted after the failover').to.not.equal(undefined);
    const exits = await fleet.stopProcesses();
    expect(exits.stopped).to.equal(4);
    printFigures('redis-failover', {
      jobs: outcome.accepted,
      faults: { killed: `${master.host.name} (master of the queues' slot, and a replica)`, replication_lag_bytes_before_kill: lagBytes },
      reruns: outcome.reruns,
      rows: outcome.rows,
      lost_accepted_jobs: outcome.lost.length,
      failed: outcome.failed,
      refused_during_failover: refused.map((s) => `${s.status}${s.code ? ` ${s.code}` : ''}`),
      promotion_ms: promotedMs,
      time_to_recover_ms: firstAcceptedAfter!.at - killedAt,
      submit_ms_median: median(sent.filter((s) => s.status === 202).map((s) => s.ms)),
      wait_for_one_replica: { set_ms_median: median(plain), set_then_wait_ms_median: median(waited) },
      processes: exits,
    });
  });
});
