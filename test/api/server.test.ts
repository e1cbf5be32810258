import { expect } from 'chai';
import { pino } from 'pino';
import { loadApiConfig, startApi, type RunningApi } from '@insights/api';
import { parseExposition } from '../helpers/exposition.js';
import { DATABASE_URL, REDIS_URL } from '../helpers/services.js';
import { ApiEnv, LogSink } from './helpers.js';

describe('api: a listening server', function () {
  this.timeout(60_000);
  const env = new ApiEnv();
  const logs = new LogSink();
  const auditLogs = new LogSink();
  let running: RunningApi;
  let base: string;

  before(async () => {
    await env.setUp();
    const config = env.listeningConfig();
    running = await startApi(config, { log: pino({ level: 'info' }, logs.stream), audit: pino({ level: 'info' }, auditLogs.stream) });
    base = `http://127.0.0.1:${running.port}`;
  });
  after(async () => {
    await running?.stop();
    await env.tearDown();
  });

  /** People whose ids, energies and metadata must never show up in a log line or the audit log. */
  function secretCsv(n: number): string {
    const lines = ['employee_id,red_energy,blue_energy,green_energy,yellow_energy,department'];
    for (let i = 0; i < n; i++)
      lines.push(`zz-secret-person-${i},${11 + (i % 9)}.137,${23 + (i % 5)}.271,31.313,${17 + (i % 4)}.919,dept-confidential-${i % 3}`);
    return lines.join('\n');
  }

  it('takes 20 concurrent identical submissions over HTTP as one job', async () => {
    const token = await env.token('http-org');
    const body = secretCsv(40);
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        fetch(`${base}/api/v1/jobs/clustering?method=kmeans&clusters=2`, {
          method: 'POST',
          body,
          headers: { authorization: `Bearer ${token.token}`, 'content-type': 'text/csv; charset=utf-8', 'idempotency-key': 'http-concurrent' },
        }),
      ),
    );
    expect(responses.map((r) => r.status)).to.deep.equal(Array(20).fill(202));
    const ids = new Set(await Promise.all(responses.map(async (r) => ((await r.json()) as { id: string }).id)));
    expect(ids.size).to.equal(1);
    expect(await env.fleet.jobCount()).to.equal(1);
    const [id] = [...ids];
    const status = await fetch(`${base}/api/v1/jobs/${id}`, { headers: { authorization: `Bearer ${token.token}` } });
    expect(status.status).to.equal(200);
    expect(status.headers.get('x-request-id')).to.match(/^[0-9a-f-]{36}$/);
  });

  it('serves request metrics by route template on the metrics port only, with process and pool metrics', async () => {
    const token = await env.token('metrics-org');
    await fetch(`${base}/api/v1/jobs/0c4d2b7e-1111-4222-8333-444455556666`, { headers: { authorization: `Bearer ${token.token}` } });
    await fetch(`${base}/api/v1/jobs/some-other-id/result`, { headers: { authorization: `Bearer ${token.token}` } });
    await fetch(`${base}/nowhere/0c4d2b7e`);
    expect((await fetch(`${base}/metrics`)).status).to.equal(404);
    const text = await (await fetch(`http://127.0.0.1:${running.metricsPort}/metrics`)).text();
    const metrics = parseExposition(text);
    const requests = metrics.get('api_requests_total')!;
    const find = (endpoint: string, code: string) =>
      requests.find((s) => s.labels.endpoint === endpoint && s.labels.status_code === code && s.labels.method === 'GET');
    expect(find('/api/v1/jobs/:id', '404')?.value).to.be.at.least(1);
    expect(find('/api/v1/jobs/:id/result', '404')?.value).to.equal(1);
    expect(find('unmatched', '404')?.value).to.be.at.least(2);
    expect(requests.every((s) => !/[0-9a-f]{8}-|some-other-id|nowhere/.test(s.labels.endpoint!))).to.equal(true);
    const buckets = metrics.get('api_request_duration_seconds_bucket')!.filter((s) => s.labels.endpoint === '/api/v1/jobs/:id');
    expect(buckets.map((s) => s.labels.le)).to.deep.equal(['0.01', '0.025', '0.05', '0.1', '0.25', '0.5', '1', '2.5', '5', '10', '+Inf']);
    expect(metrics.get('database_connections_active')!.map((s) => s.labels.pool_name)).to.deep.equal(['api']);
    expect(metrics.has('process_cpu_user_seconds_total')).to.equal(true);
    expect(metrics.has('nodejs_eventloop_lag_p99_seconds')).to.equal(true);
  });

  it('keeps personal data out of every log line and the audit log, which records who did what', async () => {
    const token = await env.token('private-org');
    const response = await fetch(`${base}/api/v1/jobs/team-formation?method=kmeans&clusters=2&teams=3&spread_by=department`, {
      method: 'POST',
      body: secretCsv(30) + '\nzz-secret-broken,1,2,3',
      headers: { authorization: `Bearer ${token.token}`, 'content-type': 'text/csv' },
    });
    expect(response.status).to.equal(422);
    const accepted = await fetch(`${base}/api/v1/jobs/team-formation?method=kmeans&clusters=2&teams=3&spread_by=department`, {
      method: 'POST',
      body: secretCsv(30),
      headers: { authorization: `Bearer ${token.token}`, 'content-type': 'text/csv' },
    });
    const { id } = (await accepted.json()) as { id: string };
    await fetch(`${base}/api/v1/jobs/${id}`, { headers: { authorization: `Bearer ${token.token}` } });
    await fetch(`${base}/api/v1/jobs/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${token.token}` } });
    await fetch(`${base}/api/v1/jobs`, { headers: { authorization: 'Bearer oci_wrong' } });
    await running.stop().then(async () => {
      // Restart so that `after` has something to stop; the audit log was written on stop.
      running = await startApi(
        loadApiConfig({ REDIS_URL, DATABASE_URL, DATABASE_SCHEMA: env.schema, QUEUE_PREFIX: env.prefix, INSIGHTS_API_PORT: '0', INSIGHTS_METRICS_PORT: '0' }),
        {
          log: pino({ level: 'silent' }),
          audit: pino({ level: 'silent' }),
        },
      );
    });
    const audit = await env.store.readAudit({ organization: 'private-org' });
    expect(audit.map((e) => `${e.action}:${e.outcome}`)).to.deep.equal(['submit:INVALID_INPUT', 'submit:ok', 'read:ok', 'cancel:ok']);
    expect(audit.every((e) => e.tokenId === token.id && typeof e.requestId === 'string')).to.equal(true);
    expect(audit[1]!.jobId).to.equal(id);
    expect(auditLogs.lines.filter((l) => l.organization === 'private-org')).to.have.length(4);
    const everything = [...logs.text, ...auditLogs.text, JSON.stringify(audit)].join('\n');
    expect(logs.text.length).to.be.greaterThan(5);
    for (const secret of ['zz-secret', 'dept-confidential', '.137', '.271', '31.313', '.919', token.token]) {
      expect(everything, `"${secret}" in a log line`).to.not.include(secret);
    }
  });
});
