import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { ClusteringResult, TeamFormationResult } from '@insights/core';
import { JOBS, METRICS, QUEUES } from '@insights/jobs';
import { InsightsClient, ResultTimeoutError } from '@insights/producer';
import { eventually } from '../helpers/eventually.js';
import { parseExposition, sampleOf } from '../helpers/exposition.js';
import { FleetEnv } from '../helpers/fleet.js';
import type { FleetWorker } from '../helpers/fleet-worker.js';
import { connectionsNamed } from '../helpers/redis-keys.js';
import { REDIS_URL } from '../helpers/services.js';
import { syntheticCsv } from '../helpers/synthetic-csv.js';

const ORG = 'acme';
const PEOPLE_CSV = readFileSync(new URL('../../examples/people.csv', import.meta.url), 'utf8');
/** Lock and stall check short enough that a killed worker's job is re-run within seconds. */
const FAST_STALL = { WORKER_LOCK_MS: '2000', WORKER_STALLED_INTERVAL_MS: '1000' };
/** About 2–3 s of hybrid clustering on one thread: long enough to act on while it runs. */
const LONG_JOB_PEOPLE = 20_000;

/** Scrapes a worker's /metrics and parses it. */
async function scrape(worker: FleetWorker) {
  const response = await fetch(`http://127.0.0.1:${worker.port}/metrics`);
  expect(response.status).to.equal(200);
  return parseExposition(await response.text());
}

/** The index of the first log line with this message (and job), or -1. */
function indexOf(worker: FleetWorker, msg: string, jobId?: string): number {
  return worker.logs.findIndex((line) => line.msg === msg && (jobId === undefined || line.job_id === jobId));
}

describe('worker fleet (real Redis, PostgreSQL and worker processes)', function () {
  this.timeout(45_000);
  const fleet = new FleetEnv();
  const longCsv = syntheticCsv(LONG_JOB_PEOPLE, 11);

  before(() => fleet.setUp());
  afterEach(() => fleet.reset());
  after(() => fleet.tearDown());

  /** Rows per job id in job_results. */
  async function rowsPerJob(ids: string[]): Promise<Map<string, number>> {
    const { rows } = await fleet.db.query<{ job_id: string; n: string }>(
      `SELECT job_id, count(*) AS n FROM ${pg.escapeIdentifier(fleet.schema)}.job_results WHERE job_id = ANY($1) GROUP BY job_id`,
      [ids],
    );
    return new Map(rows.map((row) => [row.job_id, Number(row.n)]));
  }

  it('spreads jobs over two worker processes, one result row per job', async () => {
    const workers = await Promise.all([fleet.startWorker(), fleet.startWorker()]);
    const submitted = [];
    for (let i = 0; i < 12; i++) {
      submitted.push(await fleet.client.submitClustering(ORG, { text: syntheticCsv(100 + 17 * i, i) }, { method: 'hybrid', clusters: 4, stabilityRuns: 2 }));
    }
    const ids = submitted.map((s) => s.id);
    const summaries = [];
    for (const id of ids) summaries.push(await fleet.client.waitForResult(id, 30_000));
    expect(summaries.map((s) => s.n)).to.deep.equal(submitted.map((s) => s.people));

    // A job's completed event can reach this process before its worker's log line does.
    await Promise.all(
      ids.map((id) =>
        Promise.any(workers.map((w) => w.waitForMessage('job completed', id, { timeoutMs: 5_000 }))).catch((error: AggregateError) => {
          throw new Error(`no worker logged 'job completed' for job ${id}:\n${error.errors.map((e: Error) => e.message).join('\n')}`);
        }),
      ),
    );
    for (const worker of workers) {
      expect(worker.lines('job completed').length, `jobs completed by worker ${worker.name}`).to.be.at.least(1);
    }
    const completions = workers.flatMap((w) => w.lines('job completed').map((line) => String(line.job_id)));
    expect([...completions].sort(), 'each job completed exactly once, fleet-wide').to.deep.equal([...ids].sort());
    const rows = await rowsPerJob(ids);
    expect(ids.map((id) => rows.get(id) ?? 0)).to.deep.equal(ids.map(() => 1));
  });

  it('runs a team formation as a flow (clustering child, then teams), and on a finished clustering job', async () => {
    await fleet.startWorker();
    const flow = await fleet.client.submitTeamFormation(ORG, { text: PEOPLE_CSV }, { teams: 6 }, { options: { method: 'kmeans', clusters: 4 } });
    expect(flow.clusteringJobId).to.be.a('string');
    const summary = await fleet.client.waitForResult(flow.id, 30_000);
    expect(summary).to.include({ kind: 'team-formation', n: 300, teams: 6 });

    const teams = (await fleet.client.getResult(flow.id, ORG)) as ClusteringResult & TeamFormationResult;
    expect(teams.teams).to.have.length(6);
    const members = teams.teams.flatMap((team) => team.members);
    expect(members).to.have.length(300);
    expect(new Set(members).size).to.equal(300);
    const clustering = (await fleet.client.getResult(flow.clusteringJobId!, ORG)) as ClusteringResult;
    expect(clustering.assignments, 'the teams build on the child clustering').to.deep.equal(teams.assignments);
    expect((await fleet.client.getJob(flow.clusteringJobId!)).state).to.equal('completed');

    const onFinished = await fleet.client.submitTeamFormation(ORG, { text: PEOPLE_CSV }, { teamSize: [4, 6] }, { clusteringJobId: flow.clusteringJobId! });
    expect(onFinished.clusteringJobId).to.equal(undefined);
    await fleet.client.waitForResult(onFinished.id, 30_000);
    const second = (await fleet.client.getResult(onFinished.id, ORG)) as ClusteringResult & TeamFormationResult;
    expect(second.assignments).to.deep.equal(clustering.assignments);
    expect(second.teams.every((team) => team.size >= 4 && team.size <= 6)).to.equal(true);
    expect(second.teams.reduce((sum, team) => sum + team.size, 0)).to.equal(300);
    const rows = await rowsPerJob([flow.id, flow.clusteringJobId!, onFinished.id]);
    expect([...rows.values()]).to.deep.equal([1, 1, 1]);
  });

  it('re-runs the job of a SIGKILLed worker on another once the lock lapses, leaving one result row', async () => {
    const first = await fleet.startWorker(FAST_STALL);
    const { id } = await fleet.client.submitClustering(ORG, { text: longCsv }, { method: 'hybrid', stabilityRuns: 5 });
    await first.waitForMessage('job started', id);
    first.kill('SIGKILL');
    expect(await first.waitForExit()).to.deep.equal({ code: null, signal: 'SIGKILL' });
    expect((await fleet.client.getJob(id)).state, 'the killed worker still holds the job').to.equal('active');

    const second = await fleet.startWorker(FAST_STALL);
    await second.waitForMessage('stalled job handed back to the queue', id, { timeoutMs: 15_000 });
    await second.waitForMessage('job started', id, { timeoutMs: 15_000 });
    const summary = await fleet.client.waitForResult(id, 30_000);
    expect(summary.n).to.equal(LONG_JOB_PEOPLE);
    await second.waitForMessage('job completed', id, { timeoutMs: 5_000 });
    expect(first.lines('job completed', id)).to.have.length(0);
    expect(second.lines('job completed', id)).to.have.length(1);
    expect(await fleet.resultRows(id)).to.equal(1);
  });

  it('on SIGTERM finishes the job in flight, then exits 0', async () => {
    const worker = await fleet.startWorker();
    const { id } = await fleet.client.submitClustering(ORG, { text: longCsv }, { method: 'hybrid', stabilityRuns: 5 });
    await worker.waitForMessage('job started', id);
    worker.kill('SIGTERM');
    expect(await worker.waitForExit(30_000)).to.deep.equal({ code: 0, signal: null });

    const stopping = indexOf(worker, 'stopping');
    const completed = indexOf(worker, 'job completed', id);
    const stopped = indexOf(worker, 'worker stopped');
    expect(stopping, 'logged stopping').to.be.at.least(0);
    expect(completed, "'job completed' after 'stopping'").to.be.greaterThan(stopping);
    expect(stopped, "'worker stopped' after 'job completed'").to.be.greaterThan(completed);
    expect(worker.logs[stopped]!.handed_back).to.equal(0);
    const status = await fleet.client.getJob(id);
    expect(status).to.include({ state: 'completed', attempts: 1 });
    expect(await fleet.resultRows(id)).to.equal(1);
  });

  it('fails a malformed job after exactly one attempt with INVALID_PAYLOAD', async () => {
    const worker = await fleet.startWorker();
    const events = await fleet.record(QUEUES.clustering);
    const job = await fleet
      .queue(QUEUES.clustering)
      .add(
        JOBS.clustering.name,
        { organization: ORG, datasetId: 'not-a-hash', options: { method: 'quantum' } },
        { ...JOBS.clustering.defaults, jobId: randomUUID() },
      );
    const outcome = await events.outcome(job.id!);
    expect(outcome.event, 'a payload that cannot parse is not retried').to.equal('failed');

    const failed = (await fleet.queue(QUEUES.clustering).getJob(job.id!))!;
    expect(failed.attemptsMade).to.equal(1);
    expect(failed.failedReason).to.match(/^INVALID_PAYLOAD: /);
    expect(failed.failedReason).to.include('datasetId').and.to.include('options.method');
    expect((await worker.waitForMessage('job failed', job.id)).code).to.equal('INVALID_PAYLOAD');
    expect(await fleet.resultRows(job.id!)).to.equal(0);
  });

  it('fails a job whose data set does not exist once with NOT_FOUND', async () => {
    const worker = await fleet.startWorker();
    const events = await fleet.record(QUEUES.clustering);
    const missing = createHash('sha256').update(randomUUID()).digest('hex');
    const job = await fleet
      .queue(QUEUES.clustering)
      .add(
        JOBS.clustering.name,
        { organization: ORG, datasetId: missing, options: { method: 'kmeans' } },
        { ...JOBS.clustering.defaults, jobId: randomUUID() },
      );
    expect((await events.outcome(job.id!)).event).to.equal('failed');

    const failed = (await fleet.queue(QUEUES.clustering).getJob(job.id!))!;
    expect(failed.attemptsMade).to.equal(1);
    expect(failed.failedReason).to.match(/^NOT_FOUND: /);
    expect((await worker.waitForMessage('job failed', job.id)).code).to.equal('NOT_FOUND');
  });

  it('fails a job too large for a thread with OUT_OF_MEMORY, once, and serves on', async () => {
    const worker = await fleet.startWorker({ WORKER_THREAD_MEMORY_MB: '64' });
    const events = await fleet.record(QUEUES.clustering);
    // Energies travel as Float64Arrays, outside the V8 heap the limit applies to; the data set's
    // strings do not: 30,000 people with a 3,000-character note each are ~90 MB of heap.
    const note = 'n'.repeat(3_000);
    const oversized = syntheticCsv(30_000, 3)
      .trimEnd()
      .split('\n')
      .map((line, i) => `${line},${i === 0 ? 'notes' : note}`)
      .join('\n');
    const big = await fleet.client.submitClustering(ORG, { text: oversized }, { method: 'kmeans', stabilityRuns: 0 });
    const outcome = await events.outcome(big.id);
    const status = await fleet.client.getJob(big.id);
    expect(status.failedReason).to.match(/^OUT_OF_MEMORY: /);
    expect((await worker.waitForMessage('job failed', big.id)).code).to.equal('OUT_OF_MEMORY');
    expect(outcome.event, `a job that ran out of memory must not be retried (it was ${outcome.event}, attempts ${status.attempts})`).to.equal('failed');
    expect(status.attempts).to.equal(1);

    const small = await fleet.client.submitClustering(ORG, { text: syntheticCsv(200) }, { method: 'kmeans' });
    expect((await events.outcome(small.id)).event).to.equal('completed');
    await worker.waitForMessage('job completed', small.id, { timeoutMs: 5_000 });
    expect(worker.running).to.equal(true);
    expect(sampleOf(await scrape(worker), 'insights_worker_threads')).to.equal(1);
  });

  it('keeps the event loop responsive (p99 lag < 100 ms) while every thread computes', async () => {
    const worker = await fleet.startWorker({ WORKER_THREADS: '1' });
    const events = await fleet.record(QUEUES.clustering);
    const { id } = await fleet.client.submitClustering(ORG, { text: syntheticCsv(2 * LONG_JOB_PEOPLE, 5) }, { method: 'hybrid', stabilityRuns: 5 });
    await events.waitFor(
      (e) => e.jobId === id && e.event === 'progress' && (e.payload.data as { stage?: string }).stage === 'features',
      `job ${id} to reach its features stage`,
    );

    // Each scrape resets the lag histogram, so each reading covers the window since the one before.
    await scrape(worker);
    const readings: { lag: number; busy: number }[] = [];
    for (let i = 0; i < 3; i++) {
      await new Promise((resolve) => setTimeout(resolve, 300)); // a measuring window, not a wait for an event
      const metrics = await scrape(worker);
      readings.push({ lag: sampleOf(metrics, 'nodejs_eventloop_lag_p99_seconds'), busy: sampleOf(metrics, METRICS.workerThreadsBusy) });
    }
    for (const { lag } of readings) expect(lag, JSON.stringify(readings)).to.be.greaterThan(0).and.lessThan(0.1);
    expect(
      readings.map((r) => r.busy),
      'the thread was busy through every window',
    ).to.deep.equal([1, 1, 1]);
  });

  it('has a worker that joins mid-run take backlog work at once', async () => {
    const busy = await fleet.startWorker();
    // Long enough (100,000 people, hybrid: several seconds since k-means and the scores sample) for a second worker to start meanwhile.
    const long = await fleet.client.submitClustering(ORG, { text: syntheticCsv(5 * LONG_JOB_PEOPLE, 5) }, { method: 'hybrid', stabilityRuns: 5 });
    await busy.waitForMessage('job started', long.id);
    const backlog = await Promise.all([1, 2, 3].map((seed) => fleet.client.submitClustering(ORG, { text: syntheticCsv(150, seed) }, { method: 'kmeans' })));
    const backlogIds = new Set(backlog.map((b) => b.id));
    expect(await Promise.all(backlog.map(async (b) => (await fleet.client.getJob(b.id)).state))).to.deep.equal(['waiting', 'waiting', 'waiting']);

    const joiner = await fleet.startWorker();
    const taken = await joiner.waitForLog((line) => line.msg === 'job started' && backlogIds.has(String(line.job_id)), {
      what: "'job started' for a backlog job",
    });
    const longDone = await busy.waitForMessage('job completed', long.id);
    expect(taken.time as number, 'the joiner started a backlog job while the first worker was still on its long job').to.be.below(longDone.time as number);
    expect(busy.lines('job started', String(taken.job_id))).to.have.length(0);
  });

  describe('insights submit / status through the CLI', () => {
    it('submits and waits, prints the result, reports status, and refuses a bad file before enqueuing', async () => {
      await fleet.startWorker();
      const file = fleet.files.write('team.csv', syntheticCsv(250, 21));
      const run = await fleet.cli(['submit', 'cluster', file, '--wait', '--method', 'kmeans', '--clusters', '3']);
      expect(run.status, run.stderr).to.equal(0);
      const printed = JSON.parse(run.stdout) as ClusteringResult;
      expect(printed).to.include({ method: 'kmeans', k: 3, n: 250 });
      expect(printed.assignments).to.have.length(250);

      const jobs = await fleet.queue(QUEUES.clustering).getJobs(['completed']);
      expect(jobs).to.have.length(1);
      const id = jobs[0]!.id!;
      expect(await fleet.client.getResult(id, 'default')).to.deep.equal(printed);
      // bull-board shows one log line per stage the job went through.
      const { logs } = await fleet.queue(QUEUES.clustering).getJobLogs(id);
      expect(logs).to.include.members(['stage validation', 'stage features', 'stage clustering', 'stage scoring', 'stage saving']);

      const status = await fleet.cli(['status', id, '--json']);
      expect(status.status, status.stderr).to.equal(0);
      expect(JSON.parse(status.stdout)).to.deep.equal({
        id,
        queue: 'clustering',
        state: 'completed',
        progress: { stage: 'saving', percent: 83 },
        attempts: 1,
        failedReason: null,
      });

      const jobsBefore = await fleet.jobCount();
      const datasetsBefore = await fleet.rowCount('datasets');
      const bad = fleet.files.write('bad.csv', 'employee_id,red_energy,blue_energy,green_energy,yellow_energy\nA1,10,20,30,40\nA2,10,-5,30,40\nA3,10,20,,40\n');
      const refused = await fleet.cli(['submit', 'cluster', bad, '--clusters', '2']);
      expect(refused.status).to.equal(2);
      expect(refused.stdout).to.equal('');
      expect(refused.stderr).to.include('line 3, column blue_energy: negative energy').and.to.include('line 4, column green_energy: empty energy');
      expect(await fleet.jobCount(), 'no job was enqueued').to.equal(jobsBefore);
      expect(await fleet.rowCount('datasets'), 'no data set was stored').to.equal(datasetsBefore);
    });
  });

  it('leaves no Redis connection open once an InsightsClient that waited for a result is closed', async () => {
    const name = `fleet-test-client-${randomUUID().slice(0, 8)}`;
    // No reconnection, so that connections killed below stay closed even when the client leaks them.
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null, connectionName: name, retryStrategy: () => null });
    const client = new InsightsClient({ redis, db: fleet.db, prefix: fleet.prefix, schema: fleet.schema });
    let open: string[] = [];
    try {
      const { id } = await client.submitClustering(ORG, { text: syntheticCsv(100) }, { method: 'kmeans' });
      const waited = await client.waitForResult(id, 200).then(
        () => null,
        (error: unknown) => error,
      );
      expect(waited, 'no worker runs, so waiting times out').to.be.instanceOf(ResultTimeoutError);
      await client.close();
      await redis.quit();
      await eventually(
        async () => (open = await connectionsNamed(fleet.redis, name)).length === 0,
        () => `the client's connections to close (${open.length} still open)`,
        2_000,
      );
    } finally {
      for (const id of await connectionsNamed(fleet.redis, name)) await fleet.redis.client('KILL', 'ID', id);
    }
  });

  it('refuses bad worker configuration with exit status 2, listing every problem', async () => {
    const worker = fleet.spawnWorker({ WORKER_THREADS: '0', WORKER_LOCK_MS: 'soon' });
    const exit = await worker.waitForExit(15_000);
    expect(worker.stderr).to.include('WORKER_THREADS').and.to.include('WORKER_LOCK_MS');
    expect(exit, worker.stderr).to.deep.equal({ code: 2, signal: null });
  });
});
