import { expect } from 'chai';
import { MultiHostFleet } from '../helpers/multihost-fleet.js';
import { describeMultiHost, printFigures } from '../helpers/multihost-suite.js';

describeMultiHost('multi-host: a worker host cut off mid-job for longer than its lock', function () {
  const fleet = new MultiHostFleet();
  before(() => fleet.setUp());
  after(() => fleet.tearDown());

  it('re-runs its job elsewhere; the late completion writes no second row and the worker carries on', async () => {
    const [first, second, third] = fleet.workerHosts as [(typeof fleet.workerHosts)[0], (typeof fleet.workerHosts)[0], (typeof fleet.workerHosts)[0]];
    await fleet.startApi();
    const cutWorker = await fleet.startWorker(first);
    const job = await fleet.submit(400, 3, 'esn');
    expect(job.status).to.equal(202);
    await cutWorker.waitForLog({ msg: 'job started', job_id: job.id });

    fleet.network.cut(first);
    const cutAt = Date.now();
    await Promise.all([fleet.startWorker(second), fleet.startWorker(third)]);
    const rerun = await Promise.race(
      [second, third].map((host) =>
        fleet.workers
          .get(host)!
          .waitForLog({ msg: 'job completed', job_id: job.id }, { timeoutMs: 60_000 })
          .then(() => host),
      ),
    );
    const recoveredMs = Date.now() - cutAt;
    const cutMs = Date.now() - cutAt;
    fleet.network.heal(first);

    // The cut-off worker finishes its attempt late: its result must not become a second row.
    const late = await cutWorker.waitFor(
      (line) => line.job_id === job.id && (line.msg === 'job completed' || line.msg === 'job failed'),
      'the late end of the cut-off attempt',
      { timeoutMs: 60_000 },
    );
    expect(cutMs).to.be.greaterThan(2_000);

    // The worker carries on: with the others stopped, it alone runs the next job.
    const stopped = await Promise.all([second, third].map((host) => fleet.workers.get(host)!.terminate('SIGTERM', 20_000)));
    expect(stopped.map((exit) => exit.code)).to.deep.equal([0, 0]);
    const next = await fleet.submit(60, 4);
    expect(next.status).to.equal(202);
    await cutWorker.waitForLog({ msg: 'job completed', job_id: next.id }, { timeoutMs: 60_000 });

    await fleet.settle();
    const outcome = await fleet.outcome();
    expect(outcome).to.include({ accepted: 2, completed: 2, rows: 2 });
    expect(outcome.lost).to.deep.equal([]);
    expect(outcome.reruns).to.be.at.least(1);
    expect(await fleet.state(job.id!)).to.equal('completed');
    const exits = await fleet.stopProcesses();
    printFigures('worker-partition', {
      jobs: outcome.accepted,
      faults: { link_down_ms: cutMs, lock_ms: 2_000 },
      reruns: outcome.reruns,
      rows: outcome.rows,
      rerun_on: rerun.name,
      late_attempt: late.msg,
      late_attempt_errors: cutWorker.lines.filter((line) => line.msg === 'worker error').map((line) => (line.err as { message?: string } | undefined)?.message),
      time_to_recover_ms: recoveredMs,
      processes: exits,
    });
  });
});
