import { expect } from 'chai';
import { parseExposition, sampleOf } from '../helpers/exposition.js';
import { alert, ResponderHarness, webhook } from './harness.js';

describe('responder: POST /alerts, /health and /metrics (real Redis and PostgreSQL)', function () {
  this.timeout(20_000);
  const harness = new ResponderHarness();
  before(() => harness.start());
  after(() => harness.close());

  it('refuses a missing or wrong secret with 401 and records nothing', async () => {
    const body = webhook([alert({ fingerprint: 'refused00000001' })]);
    for (const headers of [{}, { authorization: 'Bearer not-the-secret-at-all' }, { authorization: 'responder-test-secret-0123456789' }]) {
      const response = await harness.post(body, headers);
      expect(response.statusCode).to.equal(401);
      expect(response.headers['content-type']).to.match(/^application\/problem\+json/);
      expect(response.headers['www-authenticate']).to.equal('Bearer realm="insights-responder"');
      expect(response.json()).to.include({ code: 'UNAUTHORIZED', status: 401 });
    }
    expect(await harness.incidents()).to.deep.equal([]);
  });

  it('answers 400 with every problem for a body that is not a notification, or not JSON', async () => {
    const bad = await harness.post({ ...webhook([alert()]), version: '3', alerts: [{ status: 'firing' }] });
    expect(bad.statusCode).to.equal(400);
    const problem = bad.json() as { code: string; errors: string[] };
    expect(problem.code).to.equal('INVALID_REQUEST');
    expect(problem.errors.map((e) => e.split(':')[0])).to.include.members(['version', 'alerts.0.labels', 'alerts.0.startsAt', 'alerts.0.fingerprint']);
    const notJson = await harness.running.app.inject({
      method: 'POST',
      url: '/alerts',
      headers: { authorization: 'Bearer responder-test-secret-0123456789', 'content-type': 'application/json' },
      payload: '{"version":',
    });
    expect(notJson.statusCode).to.equal(400);
    expect(notJson.json()).to.include({ code: 'INVALID_REQUEST', detail: 'the body is not valid JSON' });
    const text = await harness.running.app.inject({
      method: 'POST',
      url: '/alerts',
      headers: { authorization: 'Bearer responder-test-secret-0123456789', 'content-type': 'application/xml' },
      payload: '<alerts/>',
    });
    expect(text.statusCode).to.equal(415);
    expect(text.json()).to.include({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    const elsewhere = await harness.running.app.inject({ method: 'GET', url: '/alerts' });
    expect(elsewhere.statusCode).to.equal(404);
    expect(elsewhere.headers['content-type']).to.match(/^application\/problem\+json/);
    expect(await harness.incidents()).to.deep.equal([]);
  });

  it('records each alert once: a redelivery changes nothing, and a resolution is final', async () => {
    const firing = webhook([
      alert({ fingerprint: 'a1', labels: { alertname: 'NoWorkers' } }),
      alert({ fingerprint: 'a2', labels: { alertname: 'OldestJobTooOld' } }),
    ]);
    const first = await harness.post(firing);
    expect(first.statusCode).to.equal(200);
    expect((first.json() as { alerts: { change: string }[] }).alerts.map((a) => a.change)).to.deep.equal(['new', 'new']);
    const tables = ['incidents', 'incident_actions', 'incident_snapshots', 'queue_pauses'];
    const before = await Promise.all(tables.map((t) => harness.rows(t)));

    const again = await harness.post(firing);
    expect((again.json() as { alerts: { change: string }[] }).alerts.map((a) => a.change)).to.deep.equal(['unchanged', 'unchanged']);
    expect(await Promise.all(tables.map((t) => harness.rows(t)))).to.deep.equal(before);

    const incidents = await harness.incidents();
    expect(incidents.map((i) => i.alertname).sort()).to.deep.equal(['NoWorkers', 'OldestJobTooOld']);
    expect(incidents[0]).to.include({ status: 'firing', severity: 'critical', service: 'worker', queue: 'clustering', needsPerson: false });
    expect(incidents[0]!.firstSeen.getTime()).to.equal(harness.clock.now.getTime());

    harness.clock.advance(60_000);
    const resolved = await harness.post(webhook([alert({ fingerprint: 'a1', labels: { alertname: 'NoWorkers' }, status: 'resolved' })]));
    expect((resolved.json() as { alerts: { change: string }[] }).alerts[0]).to.include({ change: 'resolved', status: 'resolved' });
    await harness.post(firing);
    const after = (await harness.incidents()).find((i) => i.fingerprint === 'a1')!;
    expect(after.status, 'a late firing retry does not reopen a resolved incident').to.equal('resolved');
    expect(after.endsAt?.toISOString()).to.equal('2031-03-01T09:10:00.000Z');
    expect(after.lastSeen.getTime()).to.equal(harness.clock.now.getTime());
  });

  it('counts received alerts in /metrics and reports health', async () => {
    const metrics = await harness.running.app.inject({ method: 'GET', url: '/metrics' });
    const exposition = parseExposition(metrics.body);
    expect(sampleOf(exposition, 'responder_alerts_received_total', { alertname: 'NoWorkers', status: 'firing' })).to.equal(3);
    expect(sampleOf(exposition, 'responder_alerts_received_total', { alertname: 'NoWorkers', status: 'resolved' })).to.equal(1);
    const health = await harness.running.app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).to.equal(200);
    expect(health.json()).to.deep.include({ status: 'healthy' });
    expect(Object.keys((health.json() as { checks: object }).checks)).to.deep.equal(['redis', 'database']);
  });

  it('listens on a real port', async () => {
    const response = await fetch(`http://127.0.0.1:${harness.running.port}/alerts`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).to.equal(401);
  });
});

describe('responder: content PostgreSQL cannot store', function () {
  this.timeout(20_000);
  const harness = new ResponderHarness();
  before(() => harness.start());
  after(() => harness.close());

  it('answers 400 (not 503, which Alertmanager retries forever) to a NUL in a label, an annotation or a label name', async () => {
    const bodies = [
      webhook([alert({ fingerprint: 'nul00000000001', labels: { alertname: 'NoWorkers', queue: 'clus\u0000tering' } })]),
      webhook([alert({ fingerprint: 'nul00000000002', annotations: { summary: 'a\u0000b' } })]),
      webhook([alert({ fingerprint: 'nul00000000003', labels: { alertname: 'NoWorkers', ['bad\u0000name']: 'x' } })]),
    ];
    for (const body of bodies) {
      const response = await harness.post(body);
      expect(response.statusCode, response.body).to.equal(400);
      expect(response.json()).to.include({ code: 'INVALID_REQUEST' });
      expect((response.json() as { errors: string[] }).errors[0]).to.match(/^alerts\.0\.(labels|annotations)\./);
    }
    expect(await harness.incidents()).to.deep.equal([]);
  });
});
