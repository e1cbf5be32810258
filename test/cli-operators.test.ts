import { createHash, randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { JOBS, QUEUES } from '@insights/jobs';
import { FleetEnv } from './helpers/fleet.js';
import { syntheticCsv } from './helpers/synthetic-csv.js';

describe("operators' commands: insights jobs, workers, queues (real Redis, PostgreSQL and worker processes)", function () {
  this.timeout(120_000);
  const fleet = new FleetEnv();

  before(() => fleet.setUp());
  afterEach(() => fleet.reset());
  after(() => fleet.tearDown());

  it('lists and shows a queued job, pauses and resumes its queue, sees the worker, and deletes the finished job', async () => {
    const file = fleet.files.write('people.csv', syntheticCsv(40, 7));
    const submitted = await fleet.cli(['submit', 'cluster', file, '--clusters', '2', '--org', 'acme']);
    expect(submitted.status, submitted.stderr).to.equal(0);
    const id = submitted.stdout.trim();

    const list = await fleet.cli(['jobs', 'list', '--json']);
    expect(list.status, list.stderr).to.equal(0);
    const listed = JSON.parse(list.stdout) as { id: string }[];
    expect(listed.find((row) => row.id === id)).to.include({ queue: 'clustering', state: 'waiting', organization: 'acme', attempts: 0 });
    const table = await fleet.cli(['jobs', 'list', '--state', 'waiting']);
    expect(table.stdout).to.match(new RegExp(`^${id}\\s+clustering\\s+waiting\\s+acme\\s+0\\s`, 'm'));
    const badState = await fleet.cli(['jobs', 'list', '--state', 'sleeping']);
    expect(badState.status).to.equal(2);
    expect(badState.stderr).to.include('--state: unknown sleeping');

    expect((await fleet.cli(['queues', 'pause', 'clustering'])).stdout).to.equal('paused clustering\n');
    const paused = await fleet.cli(['queues']);
    expect(paused.stdout).to.match(/^clustering\s+paused\s+waiting 0, .*paused 1/m);
    expect(paused.stdout).to.match(/^team-formation\s+running/m);
    const worker = await fleet.startWorker();
    const workers = await fleet.cli(['workers', '--json']);
    const seen = JSON.parse(workers.stdout) as { workers: { queue: string }[]; active: unknown[] };
    expect(seen.workers.map((w) => w.queue)).to.include.members(['clustering', 'team-formation']);
    expect(seen.active).to.deep.equal([]);
    // Paused: the worker is connected but has not taken the job.
    expect(JSON.parse((await fleet.cli(['jobs', 'show', id, '--json'])).stdout)).to.include({ id, state: 'waiting', organization: 'acme' });

    expect((await fleet.cli(['queues', 'resume'])).stdout).to.equal('resumed clustering, team-formation\n');
    await worker.waitForMessage('job completed', id);
    const shown = await fleet.cli(['jobs', 'show', id]);
    expect(shown.stdout).to.match(new RegExp(`^${id}\\s+clustering\\s+completed\\s+acme`, 'm'));
    expect(shown.stdout).to.include('log: stage saving');

    const deleted = await fleet.cli(['jobs', 'delete', id]);
    expect(deleted.stdout).to.equal(`deleted ${id} (completed)\n`);
    const gone = await fleet.cli(['jobs', 'show', id]);
    expect(gone.status).to.equal(2);
    expect(gone.stderr).to.include(id);
  });

  it('retries a failed job, cancels a waiting one, and cleans failed jobs', async () => {
    const worker = await fleet.startWorker();
    const missing = createHash('sha256').update(randomUUID()).digest('hex');
    const job = await fleet
      .queue(QUEUES.clustering)
      .add(
        JOBS.clustering.name,
        { organization: 'acme', datasetId: missing, options: { method: 'kmeans' } },
        { ...JOBS.clustering.defaults, jobId: randomUUID() },
      );
    await worker.waitForMessage('job failed', job.id);
    const notFailed = await fleet.cli(['jobs', 'retry', 'no-such-job']);
    expect(notFailed.status).to.equal(2);

    const since = worker.logs.length;
    expect((await fleet.cli(['jobs', 'retry', job.id!])).stdout).to.equal(`retrying ${job.id}\n`);
    // Retried, it runs again and fails again: a second 'job failed' for the same id.
    await worker.waitForMessage('job failed', job.id, { since });
    expect((await fleet.cli(['jobs', 'list', '--state', 'failed', '--json'])).stdout).to.include(job.id!);
    const cleaned = await fleet.cli(['queues', 'clean', 'clustering', '--state', 'failed', '--older-than', '0s']);
    expect(cleaned.stdout).to.equal('removed 1 failed from clustering\n');
    expect(JSON.parse((await fleet.cli(['jobs', 'list', '--state', 'failed', '--json'])).stdout)).to.deep.equal([]);

    await fleet.cli(['queues', 'pause']);
    const file = fleet.files.write('people.csv', syntheticCsv(40, 8));
    const id = (await fleet.cli(['submit', 'cluster', file, '--clusters', '2'])).stdout.trim();
    expect((await fleet.cli(['jobs', 'cancel', id])).stdout).to.equal(`cancelled ${id}\n`);
    expect((await fleet.cli(['jobs', 'show', id])).status).to.equal(2);
    await fleet.cli(['queues', 'resume']);
  });
});
