import { expect } from 'chai';
import { Registry } from 'prom-client';
import type { JobSummary } from '@insights/jobs';
import { createJobMetrics } from './job-metrics.js';

/** Samples of one metric as `labels → value`, from the registry's JSON. */
async function samples(registry: Registry, name: string): Promise<Map<string, number>> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  if (!metric) throw new Error(`no metric ${name}`);
  const values = (metric as unknown as { values: { labels: Record<string, string | number>; value: number; metricName?: string }[] }).values;
  return new Map(values.map((v) => [`${v.metricName ?? name}${JSON.stringify(v.labels)}`, v.value]));
}

function clusteringSummary(overrides: Partial<JobSummary> = {}): JobSummary {
  return {
    kind: 'clustering',
    organization: 'acme',
    method: 'kmeans',
    k: 4,
    n: 300,
    durations_ms: { queued: 250, run: 1500, save: 20 },
    quality: { silhouette: 0.42, calinski_harabasz: 310.5, davies_bouldin: 0.8, stability: null },
    fallback: false,
    ...overrides,
  };
}

describe('createJobMetrics', () => {
  let registry: Registry;
  let metrics: ReturnType<typeof createJobMetrics>;
  beforeEach(() => {
    registry = new Registry();
    metrics = createJobMetrics({ registry, queues: ['clustering', 'team-formation'], maxOrganizations: 2 });
  });

  it('starts every label set it can know at 0', async () => {
    const stalled = await samples(registry, 'insights_jobs_stalled_total');
    expect([...stalled.entries()]).to.deep.equal([
      ['insights_jobs_stalled_total{"queue":"clustering"}', 0],
      ['insights_jobs_stalled_total{"queue":"team-formation"}', 0],
    ]);
    const teams = await samples(registry, 'team_formations_total');
    expect(teams.size).to.equal(7);
    const duration = await samples(registry, 'clustering_duration_seconds');
    expect(duration.get('clustering_duration_seconds_count{"method":"hybrid","cluster_count":"11+"}')).to.equal(0);
    expect((await samples(registry, 'clustering_jobs_total')).size, 'organisations are not known in advance').to.equal(0);
    expect((await samples(registry, 'clustering_quality_score')).size, 'no score before a job reports one').to.equal(0);
  });

  it('turns a clustering summary into counts, durations, quality and silhouette', async () => {
    metrics.completed('clustering', clusteringSummary());
    metrics.completed(
      'clustering',
      clusteringSummary({ k: 12, fallback: true, quality: { silhouette: 0.05 }, durations_ms: { queued: -3, run: 700_000, save: 1 } }),
    );
    const jobs = await samples(registry, 'clustering_jobs_total');
    expect(jobs.get('clustering_jobs_total{"method":"kmeans","status":"completed","organization":"acme"}')).to.equal(2);
    const duration = await samples(registry, 'clustering_duration_seconds');
    expect(duration.get('clustering_duration_seconds_sum{"method":"kmeans","cluster_count":"4-6"}')).to.equal(1.5);
    expect(duration.get('clustering_duration_seconds_bucket{"le":2.5,"method":"kmeans","cluster_count":"4-6"}')).to.equal(1);
    expect(duration.get('clustering_duration_seconds_bucket{"le":1,"method":"kmeans","cluster_count":"4-6"}')).to.equal(0);
    expect(duration.get('clustering_duration_seconds_bucket{"le":600,"method":"kmeans","cluster_count":"11+"}')).to.equal(0);
    expect(duration.get('clustering_duration_seconds_bucket{"le":1800,"method":"kmeans","cluster_count":"11+"}')).to.equal(1);
    const wait = await samples(registry, 'insights_queue_wait_seconds');
    expect(wait.get('insights_queue_wait_seconds_sum{"queue":"clustering"}'), 'a negative wait (clock skew) counts as 0').to.equal(0.25);
    expect(wait.get('insights_queue_wait_seconds_count{"queue":"clustering"}')).to.equal(2);
    const quality = await samples(registry, 'clustering_quality_score');
    expect(quality.get('clustering_quality_score{"metric_type":"silhouette","method":"kmeans"}'), 'the last value').to.equal(0.05);
    expect(quality.get('clustering_quality_score{"metric_type":"calinski_harabasz","method":"kmeans"}')).to.equal(310.5);
    expect(quality.has('clustering_quality_score{"metric_type":"stability","method":"kmeans"}'), 'a null score is not reported').to.equal(false);
    const silhouette = await samples(registry, 'clustering_silhouette');
    expect(silhouette.get('clustering_silhouette_count{"method":"kmeans"}')).to.equal(2);
    expect(silhouette.get('clustering_silhouette_bucket{"le":0.1,"method":"kmeans"}')).to.equal(1);
    expect(silhouette.get('clustering_silhouette_bucket{"le":0.4,"method":"kmeans"}')).to.equal(1);
    expect(silhouette.get('clustering_silhouette_bucket{"le":0.5,"method":"kmeans"}')).to.equal(2);
    const fallbacks = await samples(registry, 'clustering_fallbacks_total');
    expect(fallbacks.get('clustering_fallbacks_total{"method":"kmeans"}')).to.equal(1);
  });

  it('counts a team formation by strategy and team-count range, and its scores', async () => {
    metrics.completed('team-formation', {
      ...clusteringSummary({ method: 'hybrid' }),
      kind: 'team-formation',
      teams: 8,
      strategy: 'local-search',
      quality: { balance_mean: 0.97 },
    });
    const teams = await samples(registry, 'team_formations_total');
    expect(teams.get('team_formations_total{"strategy":"local-search","team_count":"7-10"}')).to.equal(1);
    expect([...teams.values()].reduce((a, b) => a + b)).to.equal(1);
    expect((await samples(registry, 'clustering_jobs_total')).size, 'a team formation is not a clustering job').to.equal(0);
    expect((await samples(registry, 'insights_queue_wait_seconds')).get('insights_queue_wait_seconds_count{"queue":"team-formation"}')).to.equal(1);
    expect((await samples(registry, 'clustering_quality_score')).get('clustering_quality_score{"metric_type":"balance_mean","method":"hybrid"}')).to.equal(
      0.97,
    );
  });

  it('counts failures with what the payload says, bounded', async () => {
    metrics.failed('clustering', { organization: 'acme', datasetId: 'x', options: { method: 'esn' } });
    metrics.failed('clustering', { organization: 'acme', options: { method: 'quantum' } });
    metrics.failed('clustering', { organization: 'acme', options: {} });
    metrics.failed('clustering', undefined);
    metrics.failed('team-formation', { organization: 'acme', teams: { teams: 2 } });
    const jobs = await samples(registry, 'clustering_jobs_total');
    expect(Object.fromEntries(jobs)).to.deep.equal({
      'clustering_jobs_total{"method":"esn","status":"failed","organization":"acme"}': 1,
      'clustering_jobs_total{"method":"unknown","status":"failed","organization":"acme"}': 1,
      'clustering_jobs_total{"method":"hybrid","status":"failed","organization":"acme"}': 1,
      'clustering_jobs_total{"method":"unknown","status":"failed","organization":"unknown"}': 1,
    });
  });

  it('starts a new organisation’s series at 0 when its clustering job becomes active, so its first failure is an increase', async () => {
    metrics.active('clustering', { organization: 'newco', datasetId: 'x', options: { method: 'esn' } });
    metrics.active('clustering', { organization: 'acme', options: {} });
    metrics.active('team-formation', { organization: 'teamco', teams: { teams: 2 } });
    metrics.active('clustering', undefined);
    expect(Object.fromEntries(await samples(registry, 'clustering_jobs_total'))).to.deep.equal({
      'clustering_jobs_total{"method":"esn","status":"completed","organization":"newco"}': 0,
      'clustering_jobs_total{"method":"esn","status":"failed","organization":"newco"}': 0,
      'clustering_jobs_total{"method":"hybrid","status":"completed","organization":"acme"}': 0,
      'clustering_jobs_total{"method":"hybrid","status":"failed","organization":"acme"}': 0,
    });
    metrics.failed('clustering', { organization: 'newco', options: { method: 'esn' } });
    metrics.completed('clustering', clusteringSummary({ organization: 'acme', method: 'hybrid' }));
    const jobs = await samples(registry, 'clustering_jobs_total');
    expect(jobs.get('clustering_jobs_total{"method":"esn","status":"failed","organization":"newco"}')).to.equal(1);
    expect(jobs.get('clustering_jobs_total{"method":"hybrid","status":"completed","organization":"acme"}')).to.equal(1);
    expect(jobs.size, 'the same series, not new ones').to.equal(4);
  });

  it('keeps the organisation cap when jobs become active', async () => {
    for (const organization of ['a', 'b', 'c']) metrics.active('clustering', { organization, options: { method: 'kmeans' } });
    metrics.failed('clustering', { organization: 'd', options: { method: 'kmeans' } });
    const organizations = new Set([...(await samples(registry, 'clustering_jobs_total')).keys()].map((key) => /"organization":"([^"]*)"/.exec(key)![1]));
    expect([...organizations].sort()).to.deep.equal(['a', 'b', 'other']);
    expect(
      (await samples(registry, 'clustering_jobs_total')).get('clustering_jobs_total{"method":"kmeans","status":"failed","organization":"other"}'),
    ).to.equal(1);
  });

  it('caps organisations and never takes a label value from anything but the summary’s fields', async () => {
    for (const organization of ['a', 'b', 'c', 'd']) metrics.completed('clustering', clusteringSummary({ organization }));
    metrics.completed('clustering', { jobId: '1234', organization: 'e' });
    const jobs = await samples(registry, 'clustering_jobs_total');
    expect(Object.fromEntries(jobs)).to.deep.equal({
      'clustering_jobs_total{"method":"kmeans","status":"completed","organization":"a"}': 1,
      'clustering_jobs_total{"method":"kmeans","status":"completed","organization":"b"}': 1,
      'clustering_jobs_total{"method":"kmeans","status":"completed","organization":"other"}': 2,
      'clustering_jobs_total{"method":"unknown","status":"completed","organization":"unknown"}': 1,
    });
  });

  it('counts stalls and retries per queue', async () => {
    metrics.stalled('clustering');
    metrics.retried('team-formation');
    metrics.retried('team-formation');
    expect((await samples(registry, 'insights_jobs_stalled_total')).get('insights_jobs_stalled_total{"queue":"clustering"}')).to.equal(1);
    expect((await samples(registry, 'insights_jobs_retried_total')).get('insights_jobs_retried_total{"queue":"team-formation"}')).to.equal(2);
  });

  it('counts the outcome of every queue by code, a failure without a known code as INTERNAL', async () => {
    metrics.added('team-formation');
    metrics.completed('team-formation', { ...clusteringSummary(), kind: 'team-formation', strategy: 'local-search', teams: 4 });
    metrics.failed('team-formation', { organization: 'acme' }, 'INTERNAL: boom');
    metrics.failed('team-formation', undefined, 'job stalled more than allowable limit');
    metrics.failed('clustering', { organization: 'acme', options: { method: 'esn' } }, 'INVALID_INPUT: 3 rows, 4 clusters');
    const finished = await samples(registry, 'insights_jobs_finished_total');
    expect(finished.size, 'completed plus one series per JobErrorCode, per queue, from the start').to.equal(2 * 7);
    expect(finished.get('insights_jobs_finished_total{"queue":"team-formation","status":"completed","code":"none"}')).to.equal(1);
    expect(finished.get('insights_jobs_finished_total{"queue":"team-formation","status":"failed","code":"INTERNAL"}')).to.equal(2);
    expect(finished.get('insights_jobs_finished_total{"queue":"clustering","status":"failed","code":"INVALID_INPUT"}')).to.equal(1);
    expect(finished.get('insights_jobs_finished_total{"queue":"clustering","status":"failed","code":"OUT_OF_MEMORY"}')).to.equal(0);
    expect((await samples(registry, 'insights_jobs_added_total')).get('insights_jobs_added_total{"queue":"team-formation"}')).to.equal(1);
  });

  it('observes run time and submission-to-result time of completed jobs per queue', async () => {
    metrics.completed('team-formation', {
      ...clusteringSummary({ durations_ms: { queued: 250, run: 1500, save: 250 } }),
      kind: 'team-formation',
      strategy: 'local-search',
      teams: 4,
    });
    const run = await samples(registry, 'insights_job_run_seconds');
    expect(run.get('insights_job_run_seconds_sum{"queue":"team-formation"}')).to.equal(1.75);
    expect(run.get('insights_job_run_seconds_count{"queue":"clustering"}')).to.equal(0);
    const result = await samples(registry, 'insights_job_result_seconds');
    expect(result.get('insights_job_result_seconds_sum{"queue":"team-formation"}')).to.equal(2);
    expect(result.get('insights_job_result_seconds_bucket{"le":1,"queue":"team-formation"}')).to.equal(0);
    expect(result.get('insights_job_result_seconds_bucket{"le":5,"queue":"team-formation"}')).to.equal(1);
  });

  it('records when each queue was last heard of, 0 before its first event', async () => {
    const before = Date.now() / 1000;
    metrics.heard('clustering');
    const heard = await samples(registry, 'insights_queue_last_event_timestamp_seconds');
    expect(heard.get('insights_queue_last_event_timestamp_seconds{"queue":"clustering"}')).to.be.within(before, Date.now() / 1000);
    expect(heard.get('insights_queue_last_event_timestamp_seconds{"queue":"team-formation"}')).to.equal(0);
  });
});
