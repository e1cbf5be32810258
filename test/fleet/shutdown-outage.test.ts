import { expect } from 'chai';
import { FleetEnv } from '../helpers/fleet.js';
import type { FleetWorker } from '../helpers/fleet-worker.js';
import { LocalRedis } from '../helpers/local-redis.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';

/** How long a drain may wait for jobs in flight. */
const DRAIN_MS = 1_000;
/**
 * What the rest of the shutdown may take at most, whatever Redis and PostgreSQL do: the worker
 * closes six parts (HTTP, two BullMQ workers, Redis, threads, database pool), each bounded by 5 s,
 * and the process exits 2 s after the last one at worst.
 */
const CLOSE_BOUND_MS = 6 * 5_000 + 2_000;

/** Starts a worker and waits until it serves /metrics (its start is over, its signal handlers in place). */
async function started(fleet: FleetEnv, env: Record<string, string>): Promise<FleetWorker> {
  const worker = await fleet.startWorker({ WORKER_DRAIN_TIMEOUT_MS: String(DRAIN_MS), ...env });
  expect((await fetch(`http://127.0.0.1:${worker.port}/metrics`)).status).to.equal(200);
  return worker;
}

/** Sends SIGTERM and measures how long the process takes to be gone (failing past the bound). */
async function terminate(worker: FleetWorker): Promise<{ ms: number; code: number | null; signal: NodeJS.Signals | null }> {
  const sent = Date.now();
  worker.kill('SIGTERM');
  const exit = await worker.waitForExit(DRAIN_MS + CLOSE_BOUND_MS);
  return { ms: Date.now() - sent, ...exit };
}

describe('fleet: a worker sent SIGTERM while a service it needs is down', function () {
  this.timeout(120_000);
  const fleet = new FleetEnv();
  const redis = new LocalRedis();
  const postgres = new TcpProxy('127.0.0.1', 5432);

  before(async () => {
    // Ports of their own, so that neither the shared Redis nor the shared PostgreSQL is ever touched.
    redis.port = 19_201;
    postgres.port = 19_202;
    await fleet.setUp();
  });
  afterEach(async () => {
    await fleet.reset();
    await redis.stop();
    await postgres.down();
  });
  after(() => fleet.tearDown());

  it('exits within the drain timeout plus a bounded close while Redis is stopped', async () => {
    await redis.start();
    const worker = await started(fleet, { REDIS_URL: redis.url });
    const before = worker.logs.length;
    await redis.stop();
    await worker.waitForLog((line) => line.msg === 'worker error', { since: before, what: 'the worker to notice Redis is gone', timeoutMs: 20_000 });

    const { ms, signal, code } = await terminate(worker);
    // 0 when every part closed in time, 1 when one ran past its bound (logged): either way, by itself.
    expect(code).to.be.oneOf([0, 1]);
    expect(signal, `the worker ended by itself, not by a signal\n${JSON.stringify(worker.logs.slice(-8))}`).to.equal(null);
    expect(ms).to.be.below(DRAIN_MS + CLOSE_BOUND_MS);
    expect(worker.lines('stopping'), 'the shutdown was logged').to.have.length(1);
  });

  it('exits within the drain timeout plus a bounded close while Redis is frozen (SIGSTOP)', async () => {
    await redis.start();
    const worker = await started(fleet, { REDIS_URL: redis.url });
    process.kill(redis.pid, 'SIGSTOP');
    try {
      const { ms, signal, code } = await terminate(worker);
      // 0 when every part closed in time, 1 when one ran past its bound (logged): either way, by itself.
      expect(code).to.be.oneOf([0, 1]);
      expect(signal, `the worker ended by itself, not by a signal\n${JSON.stringify(worker.logs.slice(-8))}`).to.equal(null);
      expect(ms).to.be.below(DRAIN_MS + CLOSE_BOUND_MS);
    } finally {
      process.kill(redis.pid, 'SIGCONT');
    }
  });

  it('exits within the drain timeout plus a bounded close while PostgreSQL is unreachable', async () => {
    await postgres.up();
    const worker = await started(fleet, { DATABASE_URL: `postgres://postgres@127.0.0.1:${postgres.port}/test` });
    // A health check keeps a database connection in the pool, which the outage then cuts.
    await fetch(`http://127.0.0.1:${worker.port}/health`);
    await postgres.down();

    const { ms, signal, code } = await terminate(worker);
    // 0 when every part closed in time, 1 when one ran past its bound (logged): either way, by itself.
    expect(code).to.be.oneOf([0, 1]);
    expect(signal, `the worker ended by itself, not by a signal\n${JSON.stringify(worker.logs.slice(-8))}`).to.equal(null);
    expect(ms).to.be.below(DRAIN_MS + CLOSE_BOUND_MS);
  });
});
