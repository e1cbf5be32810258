import { expect } from 'chai';
import { impairLink } from '../helpers/link-impairment.js';
import { MultiHostFleet } from '../helpers/multihost-fleet.js';
import { describeMultiHost, printFigures } from '../helpers/multihost-suite.js';
import { MASTER_PORT } from '../helpers/netns-redis-cluster.js';

const JOBS = 10;
const ONE_WAY_MS = 25;
const LOSS_PERCENT = 1;

/** Submits a batch at once, waits for it to end, and measures throughput and end-to-end latency from BullMQ's own times. */
async function batch(
  fleet: MultiHostFleet,
  seed: number,
): Promise<{ jobs_per_minute: number; p50_ms: number; max_ms: number; processing_p50_ms: number; submit_p50_ms: number }> {
  const from = fleet.accepted.length;
  // All at once, so that the rate measured is the workers', not the submitter's.
  const submissions = await Promise.all(Array.from({ length: JOBS }, (_, i) => fleet.submit(60, seed + i)));
  expect(submissions.map((s) => s.status)).to.deep.equal(Array<number>(JOBS).fill(202));
  const submits = submissions.map((s) => s.ms);
  await fleet.settle(120_000);
  const jobs = await Promise.all(fleet.accepted.slice(from).map((id) => fleet.job(id)));
  const latencies = jobs.map((job) => job.finishedOn! - job.timestamp).sort((a, b) => a - b);
  // From a worker taking the job to its completion: the part the link's round trips lengthen, without the wait in the queue.
  const processing = jobs.map((job) => job.finishedOn! - job.processedOn!).sort((a, b) => a - b);
  const span = Math.max(...jobs.map((job) => job.finishedOn!)) - Math.min(...jobs.map((job) => job.timestamp));
  return {
    jobs_per_minute: Math.round((JOBS / span) * 60_000),
    p50_ms: latencies[Math.floor(latencies.length / 2)]!,
    max_ms: latencies.at(-1)!,
    processing_p50_ms: processing[Math.floor(processing.length / 2)]!,
    submit_p50_ms: Math.round(submits.sort((a, b) => a - b)[Math.floor(submits.length / 2)]!),
  };
}

describeMultiHost('multi-host: 50 ms more round trip and 1 % loss between the workers and Redis', function () {
  const fleet = new MultiHostFleet();
  before(() => fleet.setUp());
  after(() => fleet.tearDown());

  it('completes every job; throughput and latency measured against the clean network', async () => {
    await Promise.all([fleet.startApi(), fleet.startWorkers()]);
    const clean = await batch(fleet, 400);
    const stopped = await Promise.all(fleet.workerHosts.map((host) => fleet.workers.get(host)!.terminate('SIGTERM', 20_000)));
    expect(stopped.map((exit) => exit.code)).to.deep.equal([0, 0, 0]);

    const targets = fleet.redisHosts.flatMap((host) => [MASTER_PORT, MASTER_PORT + 1].map((port) => ({ host: host.address, port })));
    await Promise.all(
      fleet.workerHosts.map((host, i) =>
        impairLink(host, targets, { oneWayMs: ONE_WAY_MS, lossPercent: LOSS_PERCENT, proxyAddress: fleet.network.address(140 + i) }),
      ),
    );
    await fleet.startWorkers();
    const impaired = await batch(fleet, 500);

    const outcome = await fleet.outcome();
    expect(outcome).to.include({ accepted: 2 * JOBS, completed: 2 * JOBS, rows: 2 * JOBS });
    const exits = await fleet.stopProcesses();
    printFigures('slow-link', {
      jobs: outcome.accepted,
      faults: { added_round_trip_ms: 2 * ONE_WAY_MS, loss_percent_each_way: LOSS_PERCENT },
      reruns: outcome.reruns,
      rows: outcome.rows,
      clean,
      impaired,
      processes: exits,
    });
  });
});
