import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { JOBS, QUEUES } from '@insights/jobs';
import { eventually } from '../helpers/eventually.js';
import { sampleOf, type Exposition } from '../helpers/exposition.js';
import { FleetEnv } from '../helpers/fleet.js';
import { syntheticCsv } from '../helpers/synthetic-csv.js';
import { ExporterProcess, samplesOf } from './exporter-process.js';
import { expectBoundedLabels } from './labels.js';

const PEOPLE_CSV = readFileSync(new URL('../../examples/people.csv', import.meta.url), 'utf8');

/** The samples of a metric as `{labels} → value`, labels in a fixed order. */
function table(metrics: Exposition, name: string): Record<string, number> {
  return Object.fromEntries(samplesOf(metrics, name).map((s) => [JSON.stringify(Object.fromEntries(Object.entries(s.labels).sort())), s.value]));
}

/** Sum of a metric's samples with these labels. */
function total(metrics: Exposition, name: string, labels: Record<string, string> = {}): number {
  return samplesOf(metrics, name)
    .filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

describe('exporter with a real worker fleet (Redis, PostgreSQL, worker and exporter processes)', function () {
  this.timeout(120_000);
  const fleet = new FleetEnv();
  let exporter: ExporterProcess | undefined;

  before(() => fleet.setUp());
  afterEach(async () => {
    await exporter?.stop();
    exporter = undefined;
    await fleet.reset();
  });
  after(() => fleet.tearDown());

  it('reports the jobs a worker ran, exactly, with bounded labels and no ids', async () => {
    exporter = await ExporterProcess.start({ ...fleet.env(), LOG_LEVEL: 'debug' });
    const idle = await exporter.scrape();
    expect(sampleOf(idle.metrics, 'insights_queue_workers', { queue: QUEUES.clustering })).to.equal(0);

    await fleet.startWorker();
    // Connections are state no event announces: the worker's blocking connection shows in CLIENT LIST.
    await eventually(
      async () => total((await exporter!.scrape()).metrics, 'insights_queue_workers') === 2,
      () => 'one worker connected to each queue',
    );

    const kmeans = await fleet.client.submitClustering('acme', { text: PEOPLE_CSV }, { method: 'kmeans', clusters: 4, stabilityRuns: 0 });
    const esn = await fleet.client.submitClustering('acme', { text: syntheticCsv(120, 3) }, { method: 'esn', clusters: 3, stabilityRuns: 0 });
    const teams = await fleet.client.submitTeamFormation(
      'beta',
      { text: PEOPLE_CSV },
      { teams: 6 },
      { options: { method: 'kmeans', clusters: 4, stabilityRuns: 0 } },
    );
    const invalid = await fleet
      .queue(QUEUES.clustering)
      .add(
        JOBS.clustering.name,
        { organization: 'acme', datasetId: 'not-a-hash', options: { method: 'quantum' } },
        { ...JOBS.clustering.defaults, jobId: randomUUID() },
      );

    for (const id of [kmeans.id, esn.id, teams.clusteringJobId!]) await exporter.recorded('completed', id, 60_000);
    await exporter.recorded('completed', teams.id, 60_000);
    await exporter.recorded('failed', invalid.id!);
    for (const id of [kmeans.id, esn.id, teams.clusteringJobId!, invalid.id!]) await exporter.recorded('active', id);
    const { metrics, text } = await exporter.scrape();

    // Each series started at 0 (both statuses) when its first job became active.
    expect(table(metrics, 'clustering_jobs_total')).to.deep.equal({
      '{"method":"kmeans","organization":"acme","status":"completed"}': 1,
      '{"method":"kmeans","organization":"acme","status":"failed"}': 0,
      '{"method":"esn","organization":"acme","status":"completed"}': 1,
      '{"method":"esn","organization":"acme","status":"failed"}': 0,
      '{"method":"kmeans","organization":"beta","status":"completed"}': 1,
      '{"method":"kmeans","organization":"beta","status":"failed"}': 0,
      '{"method":"unknown","organization":"acme","status":"completed"}': 0,
      '{"method":"unknown","organization":"acme","status":"failed"}': 1,
    });
    expect(sampleOf(metrics, 'clustering_duration_seconds_count', { method: 'kmeans', cluster_count: '4-6' })).to.equal(2);
    expect(sampleOf(metrics, 'clustering_duration_seconds_count', { method: 'esn', cluster_count: '2-3' })).to.equal(1);
    expect(total(metrics, 'clustering_duration_seconds_count')).to.equal(3);
    expect(sampleOf(metrics, 'clustering_silhouette_count', { method: 'kmeans' })).to.equal(2);
    expect(sampleOf(metrics, 'clustering_silhouette_count', { method: 'esn' })).to.equal(1);
    expect(sampleOf(metrics, 'team_formations_total', { strategy: 'local-search', team_count: '4-6' })).to.equal(1);
    expect(total(metrics, 'team_formations_total')).to.equal(1);
    expect(sampleOf(metrics, 'insights_queue_wait_seconds_count', { queue: QUEUES.clustering })).to.equal(3);
    expect(sampleOf(metrics, 'insights_queue_wait_seconds_count', { queue: QUEUES.teamFormation })).to.equal(1);
    expect(total(metrics, 'insights_jobs_retried_total'), 'the invalid job is not retried').to.equal(0);
    expect(total(metrics, 'insights_jobs_stalled_total')).to.equal(0);

    const silhouette = sampleOf(metrics, 'clustering_quality_score', { metric_type: 'silhouette', method: 'esn' });
    expect(silhouette).to.be.within(-1, 1);
    const esnSummary = await fleet.client.waitForResult(esn.id);
    expect(silhouette, 'the last silhouette of esn is the esn job’s').to.equal(esnSummary.quality.silhouette);
    expect(sampleOf(metrics, 'clustering_quality_score', { metric_type: 'balance_mean', method: 'kmeans' })).to.be.within(0, 1);

    expect(table(metrics, 'insights_queue_jobs')).to.include({
      '{"queue":"clustering","state":"completed"}': 3,
      '{"queue":"clustering","state":"failed"}': 1,
      '{"queue":"clustering","state":"waiting"}': 0,
      '{"queue":"clustering","state":"active"}': 0,
      '{"queue":"team-formation","state":"completed"}': 1,
      '{"queue":"team-formation","state":"waiting-children"}': 0,
    });
    expect(sampleOf(metrics, 'clustering_active_jobs')).to.equal(0);
    expect(sampleOf(metrics, 'insights_queue_oldest_waiting_age_seconds', { queue: QUEUES.clustering })).to.equal(0);
    expect(sampleOf(metrics, 'insights_exporter_up')).to.equal(1);

    const ids = [kmeans.id, esn.id, teams.id, teams.clusteringJobId!, invalid.id!, kmeans.datasetId, esn.datasetId, teams.datasetId];
    expectBoundedLabels(metrics, ['acme', 'beta'], ids);
    for (const id of ids) expect(text, 'no id anywhere in the exposition').not.to.include(id);
  });

  it('shows a backlog nobody works on: depth by state and the age of the oldest job ready to run', async () => {
    exporter = await ExporterProcess.start(fleet.env());
    const queue = fleet.queue(QUEUES.clustering);
    const now = Date.now();
    const data = { organization: 'acme', datasetId: '0'.repeat(64), options: {} };
    await queue.add('cluster', data, { timestamp: now - 60_000 });
    await queue.add('cluster', data, { timestamp: now - 30_000 });
    await queue.add('cluster', data, { timestamp: now - 300_000, priority: 5 });
    await queue.add('cluster', data, { delay: 3_600_000 });
    const before = Date.now();
    const { metrics } = await exporter.scrape();
    const elapsed = (Date.now() - before) / 1000;
    expect(table(metrics, 'insights_queue_jobs')).to.include({
      '{"queue":"clustering","state":"waiting"}': 2,
      '{"queue":"clustering","state":"prioritized"}': 1,
      '{"queue":"clustering","state":"delayed"}': 1,
      '{"queue":"clustering","state":"active"}': 0,
    });
    expect(sampleOf(metrics, 'insights_queue_oldest_waiting_age_seconds', { queue: QUEUES.clustering }), 'the prioritized job is the oldest').to.be.within(
      300,
      301 + elapsed + (before - now) / 1000,
    );
    expect(sampleOf(metrics, 'insights_queue_oldest_waiting_age_seconds', { queue: QUEUES.teamFormation })).to.equal(0);

    await queue.pause();
    const paused = (await exporter.scrape()).metrics;
    expect(sampleOf(paused, 'insights_queue_jobs', { queue: QUEUES.clustering, state: 'waiting' }), 'a paused queue’s jobs still wait').to.equal(2);
    expect(sampleOf(paused, 'insights_queue_paused', { queue: QUEUES.clustering }), 'and it says so').to.equal(1);
    expect(sampleOf(paused, 'insights_queue_paused', { queue: QUEUES.teamFormation })).to.equal(0);
    await queue.getJobs(['prioritized']).then((jobs) => Promise.all(jobs.map((job) => job.remove())));
    const age = sampleOf((await exporter.scrape()).metrics, 'insights_queue_oldest_waiting_age_seconds', { queue: QUEUES.clustering });
    expect(age, 'then the oldest waiting one, in the paused list').to.be.within(60, 62 + (Date.now() - now) / 1000);
  });
});
