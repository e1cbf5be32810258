import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { eventually } from '../helpers/eventually.js';
import { FleetEnv } from '../helpers/fleet.js';
import type { FleetWorker } from '../helpers/fleet-worker.js';
import { DATABASE_URL, REDIS_URL } from '../helpers/services.js';
import { syntheticCsv } from '../helpers/synthetic-csv.js';
import { tempFolder } from '../helpers/temp-files.js';
import { freePort, LoggedProcess } from '../helpers/processes.js';
import { dashboardExprs, metricNames, ruleExprs } from './promql.js';

/**
 * The real Prometheus (Debian's `prometheus`) scrapes a local fleet — `insights api`, a worker,
 * `insights exporter`, postgres_exporter and redis_exporter (Debian's `prometheus-postgres-exporter`
 * and `prometheus-redis-exporter`) — and loads rules/, the generated SLO rules included. After jobs ran, every metric a rule or dashboard names must exist, every expression must
 * evaluate, every panel must show data, the alerts must stay silent, and some must turn pending
 * when the worker and the exporter go away.
 */

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ORG = 'e2e-monitoring';

interface PromResponse<T> {
  status: 'success' | 'error';
  data: T;
  error?: string;
  errorType?: string;
}
type Sample = { metric: Record<string, string>; value?: [number, string]; values?: [number, string][] };
type Alert = { labels: Record<string, string>; annotations: Record<string, string>; state: 'pending' | 'firing' };
type RuleGroups = { groups: { name: string; rules: { name: string; type: string; health: string; lastError?: string }[] }[] };

/** Prometheus' HTTP API. */
class Prometheus {
  constructor(readonly url: string) {}

  async call<T>(path: string, params: Record<string, string | string[]> = {}): Promise<PromResponse<T>> {
    const body = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) for (const v of [value].flat()) body.append(key, v);
    const response = await fetch(`${this.url}${path}`, { method: 'POST', body });
    return (await response.json()) as PromResponse<T>;
  }

  /** An instant query that must succeed. */
  async query(expr: string): Promise<Sample[]> {
    const answer = await this.call<{ result: Sample[] }>('/api/v1/query', { query: expr });
    if (answer.status !== 'success') throw new Error(`query failed: ${answer.error}\n  ${expr}`);
    return answer.data.result;
  }

  async value(expr: string): Promise<number | undefined> {
    const result = await this.query(expr);
    return result.length === 1 ? Number(result[0]!.value![1]) : undefined;
  }

  async alerts(): Promise<Alert[]> {
    const response = await fetch(`${this.url}/api/v1/alerts`);
    return ((await response.json()) as PromResponse<{ alerts: Alert[] }>).data.alerts;
  }

  async rules(): Promise<RuleGroups> {
    const response = await fetch(`${this.url}/api/v1/rules`);
    return ((await response.json()) as PromResponse<RuleGroups>).data;
  }
}

/** postgres_exporter wants a key=value or URL DSN with sslmode. */
function postgresDsn(url: string): string {
  const parsed = new URL(url);
  if (!parsed.searchParams.has('sslmode')) parsed.searchParams.set('sslmode', 'disable');
  return parsed.toString().replace(/^postgres:/, 'postgresql:');
}

describe('monitoring end to end: the real Prometheus on a local fleet', function () {
  this.timeout(60_000);
  const fleet = new FleetEnv();
  const files = tempFolder('prometheus');
  const processes: LoggedProcess[] = [];
  let worker: FleetWorker;
  let exporter: LoggedProcess;
  let api: LoggedProcess;
  let apiUrl: string;
  let prometheus: Prometheus;
  let started: number;
  let clusteringCompleted = 0;
  let teamsCompleted = 0;

  before(async function () {
    this.timeout(180_000);
    started = Date.now() / 1000;
    await fleet.setUp();
    worker = await fleet.startWorker();

    exporter = LoggedProcess.insights('exporter', fleet.env({ INSIGHTS_EXPORTER_PORT: '0', INSIGHTS_EXPORTER_HOST: '127.0.0.1' }));
    api = LoggedProcess.insights(
      'api',
      fleet.env({ INSIGHTS_API_PORT: '0', INSIGHTS_API_HOST: '127.0.0.1', INSIGHTS_METRICS_PORT: '0', INSIGHTS_METRICS_HOST: '127.0.0.1' }),
    );
    const pgPort = await freePort();
    const pgExporter = new LoggedProcess('postgres_exporter', 'prometheus-postgres-exporter', [`--web.listen-address=127.0.0.1:${pgPort}`], {
      ...process.env,
      DATA_SOURCE_NAME: postgresDsn(DATABASE_URL),
    });
    const redisPort = await freePort();
    const redisExporter = new LoggedProcess('redis_exporter', 'prometheus-redis-exporter', [
      `--redis.addr=${REDIS_URL}`,
      `--web.listen-address=127.0.0.1:${redisPort}`,
    ]);
    processes.push(exporter, api, pgExporter, redisExporter);
    const exporterReady = await exporter.waitFor((line) => line.msg === 'exporter ready', "'exporter ready'");
    const apiReady = await api.waitFor((line) => line.msg === 'api ready', "'api ready'");
    await pgExporter.waitFor((line) => String(line.raw).includes('msg="Listening on"'), 'that it listens');
    await redisExporter.waitFor((line) => String(line.raw).includes('Providing metrics at'), 'that it listens');
    apiUrl = `http://127.0.0.1:${apiReady.port}`;

    const promPort = await freePort();
    const config = {
      global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
      rule_files: [`${ROOT}rules/alerts.yml`, `${ROOT}rules/recording.yml`, `${ROOT}rules/slo.yml`],
      scrape_configs: [
        { job_name: 'insights-api', static_configs: [{ targets: [`127.0.0.1:${apiReady.metrics_port}`] }] },
        { job_name: 'insights-worker', static_configs: [{ targets: [`127.0.0.1:${worker.port}`] }] },
        { job_name: 'insights-exporter', static_configs: [{ targets: [`127.0.0.1:${exporterReady.port}`] }] },
        { job_name: 'postgres', static_configs: [{ targets: [`127.0.0.1:${pgPort}`] }] },
        { job_name: 'redis', static_configs: [{ targets: [`127.0.0.1:${redisPort}`] }] },
      ],
    };
    const server = new LoggedProcess('prometheus', 'prometheus', [
      `--config.file=${files.write('prometheus.yml', JSON.stringify(config))}`,
      `--storage.tsdb.path=${files.dir}/data`,
      `--web.listen-address=127.0.0.1:${promPort}`,
    ]);
    processes.push(server);
    await server.waitFor((line) => String(line.raw).includes('Server is ready to receive web requests'), 'that it is ready');
    prometheus = new Prometheus(`http://127.0.0.1:${promPort}`);

    // Counters whose series a first event creates (a new organisation, endpoint or status code)
    // show that event to rate() only from their second sample on, as in any Prometheus setup:
    // so the fleet works in two rounds, each scraped before the next, as steady traffic would be.
    await eventually(
      async () => (await prometheus.value('count(up == 1)')) === 5,
      () => 'Prometheus to have scraped every target once',
      20_000,
    );
    for (const round of [1, 2]) {
      await runRound(round);
      await scraped(round);
    }
  });

  /**
   * One round of work: three clusterings with different methods, a team formation (with its own
   * clustering), a job that fails for good, and API requests (five live probes, one readiness
   * check, one refused request).
   */
  async function runRound(round: number): Promise<void> {
    const submitted = [];
    for (const [i, method] of (['kmeans', 'esn', 'hybrid'] as const).entries()) {
      submitted.push(await fleet.client.submitClustering(ORG, { text: syntheticCsv(48, 10 * round + i) }, { method, clusters: 3, stabilityRuns: 2 }));
    }
    const team = await fleet.client.submitTeamFormation(
      ORG,
      { text: syntheticCsv(40, 10 * round + 9) },
      { teams: 4 },
      { options: { method: 'kmeans', clusters: 3, stabilityRuns: 2 } },
    );
    for (const { id } of [...submitted, team]) await fleet.client.waitForResult(id, 60_000);
    clusteringCompleted += submitted.length + (team.clusteringJobId ? 1 : 0);
    teamsCompleted += 1;
    const recorder = await fleet.record('clustering');
    const bad = await fleet.queue('clustering').add('cluster', { not: 'a clustering job' }, { attempts: 1 });
    await recorder.waitFor((e) => e.jobId === bad.id && e.event === 'failed', 'the malformed job to fail');
    for (let i = 0; i < 5; i++) expect((await fetch(`${apiUrl}/api/health/live`)).status).to.equal(200);
    await fetch(`${apiUrl}/api/health/ready`);
    expect((await fetch(`${apiUrl}/api/v1/jobs/no-such-job`)).status).to.be.within(400, 499);
  }

  /** Waits until Prometheus has scraped the state after a round and the recording rules have run on it. */
  async function scraped(round: number): Promise<void> {
    const expected: Record<string, number> = {
      'sum(clustering_jobs_total{job="insights-exporter", status="completed"})': clusteringCompleted,
      'sum(clustering_jobs_total{job="insights-exporter", status="failed"})': round,
      'sum(api_requests_total{job="insights-api", endpoint="/api/health/live"})': 5 * round,
      'sum(insights_worker_jobs_processed_total{job="insights-worker"})': clusteringCompleted + teamsCompleted + round,
      'sum(insights_jobs_finished_total{job="insights-exporter"})': clusteringCompleted + teamsCompleted + round,
    };
    if (round === 2) {
      // rates over the second round, recorded
      expected['count(job:api_requests_5xx:ratio_rate5m)'] = 1;
      expected['count(job:clustering_jobs_failed:ratio_rate5m)'] = 1;
      expected['count(queue_status:insights_worker_jobs_processed:rate5m > 0)'] = 3;
      expected['count(slo:sli_error:ratio_rate5m{slo="job-success"})'] = 2;
      expected['count(slo:error_budget_remaining:ratio{slo="api-availability"})'] = 1;
    }
    const seen: Record<string, number | undefined> = {};
    await eventually(
      async () => {
        for (const expr of Object.keys(expected)) seen[expr] = await prometheus.value(expr);
        return Object.entries(expected).every(([expr, value]) => seen[expr] === value);
      },
      () => `Prometheus to have scraped round ${round}: expected ${JSON.stringify(expected)}, last seen ${JSON.stringify(seen)}`,
      30_000,
    );
  }

  after(async function () {
    this.timeout(30_000);
    for (const process of processes.reverse()) await process.stop();
    await fleet.tearDown();
    files.cleanup();
  });

  it('scrapes the api, the worker, the exporter, postgres_exporter and redis_exporter', async () => {
    const up = await prometheus.query('up');
    expect(Object.fromEntries(up.map((s) => [s.metric.job, s.value![1]]))).to.deep.equal({
      'insights-api': '1',
      'insights-worker': '1',
      'insights-exporter': '1',
      postgres: '1',
      redis: '1',
    });
  });

  it('loads every rule and evaluates each without error', async () => {
    const expected = ruleExprs().map((rule) => rule.alert ?? rule.record);
    await eventually(
      async () => (await prometheus.rules()).groups.every((g) => g.rules.every((r) => r.health !== 'unknown')),
      () => 'every rule to have been evaluated once',
      10_000,
    );
    const rules = (await prometheus.rules()).groups.flatMap((g) => g.rules);
    expect(rules.map((r) => r.name)).to.have.members(expected);
    const broken = rules.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.health} ${r.lastError ?? ''}`);
    expect(broken).to.deep.equal([]);
  });

  it('has every metric that a rule or a dashboard names', async () => {
    const recorded = new Set(ruleExprs().flatMap((rule) => (rule.record ? [rule.record] : [])));
    const missing: string[] = [];
    const checked = new Map<string, boolean>();
    for (const { source, expr } of [...ruleExprs(), ...dashboardExprs()]) {
      for (const name of metricNames(expr)) {
        if (name.includes(':')) {
          if (!recorded.has(name)) missing.push(`${name} (${source}): no recording rule makes it`);
          continue;
        }
        if (!checked.has(name)) {
          const series = await prometheus.call<unknown[]>('/api/v1/series', { 'match[]': name, start: String(started - 60) });
          checked.set(name, series.status === 'success' && series.data.length > 0);
        }
        if (!checked.get(name)) missing.push(`${name} (${source})`);
      }
    }
    expect(missing, `metrics named but not scraped:\n  ${missing.join('\n  ')}`).to.deep.equal([]);
    expect(checked.size).to.be.greaterThan(25);
  });

  /** For a failure message: how many samples of the raw metrics behind an expression Prometheus holds. */
  async function samplesBehind(expr: string): Promise<string> {
    const recording = new Map(ruleExprs().flatMap((rule) => (rule.record ? [[rule.record, rule.expr] as const] : [])));
    const raw = new Set<string>();
    const visit = (e: string) => metricNames(e).forEach((name) => (recording.has(name) ? visit(recording.get(name)!) : raw.add(name)));
    visit(expr);
    const counts = [];
    for (const name of raw) counts.push(`${name}: ${JSON.stringify((await prometheus.query(`count_over_time(${name}[2m])`)).map((s) => s.value![1]))}`);
    const scrapes = await prometheus.query(
      'label_join(sum_over_time(up[2m]), "x", "", "job") or label_replace(count_over_time(up[2m]), "kind", "count", "", "") or label_replace(max_over_time(scrape_duration_seconds[2m]), "kind", "max_duration", "", "")',
    );
    const health = scrapes.map((s) => `${s.metric.job} ${s.metric.kind ?? 'up_sum'}=${s.value![1]}`).join(', ');
    return `samples in the last 2 minutes per series: ${counts.join('; ')}\n      scrapes in the last 2 minutes: ${health}`;
  }

  it('evaluates every dashboard query without error, and every panel shows data from the fleet', async () => {
    const end = Date.now() / 1000;
    const problems: string[] = [];
    for (const { source, expr } of dashboardExprs()) {
      const answer = await prometheus.call<{ result: Sample[] }>('/api/v1/query_range', { query: expr, start: String(end - 60), end: String(end), step: '1' });
      if (answer.status !== 'success') problems.push(`${source}: ${answer.error}\n      ${expr}`);
      else if (answer.data.result.length === 0) problems.push(`${source}: no data\n      ${expr}\n      ${await samplesBehind(expr)}`);
    }
    expect(problems, problems.join('\n  ')).to.deep.equal([]);
  });

  it('shows the fleet as it is', async () => {
    const byQueue = async (expr: string) => Object.fromEntries((await prometheus.query(expr)).map((s) => [s.metric.queue, Number(s.value![1])]));
    expect(await byQueue('queue:insights_queue_workers:max')).to.deep.equal({ clustering: 1, 'team-formation': 1 });
    expect(await byQueue('queue:insights_queue_jobs_waiting:sum')).to.deep.equal({ clustering: 0, 'team-formation': 0 });
    expect(await prometheus.value('sum(insights_worker_jobs_processed_total{job="insights-worker", status="completed"})')).to.equal(
      clusteringCompleted + teamsCompleted,
    );
    expect(await prometheus.value('sum(insights_worker_jobs_processed_total{job="insights-worker", status="failed"})')).to.equal(2);
    expect(await prometheus.value('sum(team_formations_total{job="insights-exporter"})')).to.equal(teamsCompleted);
    expect(await prometheus.value('sum(clustering_silhouette_count{job="insights-exporter"})')).to.equal(clusteringCompleted);
    const methods = (await prometheus.query('clustering_quality_score{job="insights-exporter", metric_type="silhouette"}')).map((s) => s.metric.method);
    expect(methods).to.include.members(['kmeans', 'esn', 'hybrid']);
    expect(await prometheus.value('insights_exporter_up')).to.equal(1);
    // Every queue's outcomes: the malformed job of each round failed for the caller's reason.
    const finished = async (labels: string) => prometheus.value(`sum(insights_jobs_finished_total{job="insights-exporter", ${labels}})`);
    expect(await finished('queue="clustering", status="failed", code="INVALID_PAYLOAD"')).to.equal(2);
    expect(await finished('queue="team-formation", status="completed"')).to.equal(teamsCompleted);
    expect(await finished('status="failed", code!="INVALID_PAYLOAD"')).to.equal(0);
    expect(await prometheus.value('sum(insights_jobs_added_total{job="insights-exporter", queue="team-formation"})')).to.equal(teamsCompleted);
    expect(await prometheus.value('sum(insights_job_result_seconds_count{job="insights-exporter"})')).to.equal(clusteringCompleted + teamsCompleted);
    expect(await prometheus.value('min(insights_queue_last_event_timestamp_seconds{job="insights-exporter"})')).to.be.above(started);
    // The SLOs see no failure of ours: the caller's failures and the probes are left out.
    expect(await byQueue('slo:sli_error:ratio_rate5m{slo="job-success"}')).to.deep.equal({ clustering: 0, 'team-formation': 0 });
    expect(await byQueue('slo:error_budget_remaining:ratio{slo="job-success"}')).to.deep.equal({ clustering: 1, 'team-formation': 1 });
    expect(await prometheus.value('slo:sli_error:ratio_rate5m{slo="api-availability"}')).to.equal(0);
    expect(await prometheus.value('sum(redis_memory_used_bytes{job="redis"})')).to.be.above(0);
  });

  it('keeps every alert silent while the fleet is healthy', async () => {
    // DatabaseConnectionHigh looks at the whole shared test server, which other tests also use, and
    // RedisMemoryHigh/RedisEvictingKeys at the shared Redis. TargetMissing of the responder: the local
    // fleet has none. HighJobFailureRate is judged: the rounds fail 2 of ~10 clustering jobs on
    // purpose, for the caller's reason (INVALID_PAYLOAD), which it leaves out.
    const notJudgedHere = new Set(['DatabaseConnectionHigh', 'RedisMemoryHigh', 'RedisEvictingKeys']);
    const alerts = (await prometheus.alerts()).filter(
      (a) => !notJudgedHere.has(a.labels.alertname ?? '') && !(a.labels.alertname === 'TargetMissing' && a.labels.job === 'insights-responder'),
    );
    expect(alerts.map((a) => `${a.labels.alertname} ${a.state} ${JSON.stringify(a.labels)}`)).to.deep.equal([]);
  });

  it('turns NoWorkers and ServiceDown pending when the worker dies, and ExporterDown when the exporter does', async function () {
    this.timeout(60_000);
    await worker.stop();
    await fleet.client.submitClustering(ORG, { text: syntheticCsv(30, 5) }, { method: 'kmeans', clusters: 2 });
    const pending = async (name: string, labels: Record<string, string>) =>
      (await prometheus.alerts()).find((a) => a.labels.alertname === name && Object.entries(labels).every(([k, v]) => a.labels[k] === v));
    await eventually(
      async () => (await pending('NoWorkers', { queue: 'clustering' })) !== undefined && (await pending('ServiceDown', { service: 'worker' })) !== undefined,
      () => 'NoWorkers{queue="clustering"} and ServiceDown{service="worker"} to be pending',
      20_000,
    );
    const noWorkers = (await pending('NoWorkers', { queue: 'clustering' }))!;
    expect(noWorkers.state).to.equal('pending');
    expect(noWorkers.labels).to.include({ severity: 'critical', service: 'worker' });
    expect(noWorkers.annotations.runbook_url).to.match(/\/docs\/runbooks\/NoWorkers\.md$/);
    expect((await pending('NoWorkers', { queue: 'team-formation' })) === undefined, 'no job waits in team-formation').to.equal(true);
    expect((await pending('ServiceDown', { service: 'worker' }))!.labels).to.include({ job: 'insights-worker', severity: 'critical' });

    await exporter.kill();
    await eventually(
      async () => (await pending('ExporterDown', { job: 'insights-exporter' })) !== undefined,
      () => 'ExporterDown to be pending',
      20_000,
    );
    expect((await pending('ExporterDown', { job: 'insights-exporter' }))!.labels).to.include({ severity: 'warning', service: 'exporter' });
  });
});
