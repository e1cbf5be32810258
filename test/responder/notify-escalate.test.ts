import { expect } from 'chai';
import { parseExposition, sampleOf } from '../helpers/exposition.js';
import { freePort } from '../helpers/processes.js';
import { alert, FakeSlack, ResponderHarness, T0, webhook } from './harness.js';

type Handled = { alerts: { incident_id: string; actions: { action: string; target: string; outcome: string }[] }[] };
const MINUTE = 60_000;

describe('responder: Slack summaries (real Redis and PostgreSQL, a local webhook server)', function () {
  this.timeout(20_000);
  const slack = new FakeSlack();
  const harness = new ResponderHarness();
  before(async () => harness.start({ RESPONDER_SLACK_WEBHOOK_URL: await slack.start(), RESPONDER_NOTIFY_INTERVAL: '15m', RESPONDER_ESCALATE_AFTER: '1h' }));
  after(async () => {
    await harness.close();
    await slack.close();
  });

  it('posts a summary with what was done, once per interval per incident, and the resolution', async () => {
    const firing = alert({ fingerprint: 'n1' });
    const response = (await harness.post(webhook([firing]))).json() as Handled;
    expect(response.alerts[0]!.actions.map((a) => `${a.action}:${a.outcome}`)).to.deep.equal(['snapshot:ok', 'notify:ok']);
    expect(slack.bodies).to.have.length(1);
    const posted = slack.bodies[0] as { text: string; blocks: { text: { text: string } }[] };
    expect(posted.text).to.equal(
      '[FIRING] JobsStuck (critical, service worker, queue clustering): Jobs of queue clustering are not making progress (no-progress)',
    );
    expect(posted.blocks[0]!.text.text).to.include(`Incident ${response.alerts[0]!.incident_id}`).and.include('diagnostic snapshot taken');

    harness.clock.advance(10 * MINUTE);
    await harness.post(webhook([firing]));
    expect(slack.bodies, 'rate-limited within the interval').to.have.length(1);
    harness.clock.advance(5 * MINUTE);
    await harness.post(webhook([firing]));
    expect(slack.bodies).to.have.length(2);

    await harness.post(webhook([{ ...firing, status: 'resolved' }]));
    await harness.post(webhook([{ ...firing, status: 'resolved' }]));
    expect(slack.bodies).to.have.length(3);
    expect((slack.bodies[2] as { text: string }).text).to.match(/^\[RESOLVED\] JobsStuck/);
  });

  it('records a failed post as the outcome and still answers 200', async () => {
    slack.status = 500;
    try {
      const response = await harness.post(webhook([alert({ fingerprint: 'n2', labels: { alertname: 'NoWorkers' } })]));
      expect(response.statusCode).to.equal(200);
      const handled = (response.json() as Handled).alerts[0]!;
      expect(handled.actions).to.deep.equal([{ action: 'notify', target: '', outcome: 'failed' }]);
      expect((await harness.actions(handled.incident_id))[0]!.detail).to.deep.equal({ kind: 'firing', status: 500, error: 'the webhook answered 500' });
    } finally {
      slack.status = 200;
    }
    const metrics = parseExposition((await harness.running.app.inject({ method: 'GET', url: '/metrics' })).body);
    expect(sampleOf(metrics, 'responder_actions_total', { action: 'notify', outcome: 'failed' })).to.equal(1);
    expect(sampleOf(metrics, 'responder_actions_total', { action: 'notify', outcome: 'ok' })).to.equal(3);
  });
});

describe('responder: a Slack URL nothing listens on', function () {
  this.timeout(20_000);
  const harness = new ResponderHarness();
  before(async () => harness.start({ RESPONDER_SLACK_WEBHOOK_URL: `http://127.0.0.1:${await freePort()}/hook` }));
  after(() => harness.close());

  it('records the refused connection and never fails the delivery', async () => {
    const response = await harness.post(webhook([alert({ fingerprint: 'n3', labels: { alertname: 'NoWorkers' } })]));
    expect(response.statusCode).to.equal(200);
    const handled = (response.json() as Handled).alerts[0]!;
    expect((await harness.actions(handled.incident_id)).map((a) => [a.outcome, a.detail.error])).to.deep.equal([['failed', 'ECONNREFUSED']]);
  });
});

describe('responder: escalation (injected clock)', function () {
  this.timeout(20_000);
  const slack = new FakeSlack();
  const harness = new ResponderHarness();
  before(async () => harness.start({ RESPONDER_SLACK_WEBHOOK_URL: await slack.start(), RESPONDER_ESCALATE_AFTER: '15m', RESPONDER_NOTIFY_INTERVAL: '1h' }));
  after(async () => {
    await harness.close();
    await slack.close();
  });

  it('marks an incident still firing 15 min after the responder acted as needing a person, once', async () => {
    const acted = alert({ fingerprint: 'e1' });
    const onlyNotified = alert({ fingerprint: 'e2', labels: { alertname: 'OldestJobTooOld' } });
    const resolvedInTime = alert({ fingerprint: 'e3', labels: { reason: 'stalling' } });
    await harness.post(webhook([acted, onlyNotified, resolvedInTime]));
    const escalations: string[] = [];
    harness.running.responder.events.on('escalated', (incident: { fingerprint: string }) => escalations.push(incident.fingerprint));

    harness.clock.advance(10 * MINUTE);
    await harness.post(webhook([{ ...resolvedInTime, status: 'resolved' }]));
    harness.clock.advance(5 * MINUTE - 1);
    expect((await harness.running.responder.check()).escalated).to.deep.equal([]);

    harness.clock.advance(1);
    const { escalated } = await harness.running.responder.check();
    expect(escalated.map((i) => i.fingerprint)).to.deep.equal(['e1']);
    expect(escalations).to.deep.equal(['e1']);
    const incident = (await harness.store.findIncident('e1', new Date(acted.startsAt)))!;
    expect(incident).to.include({ needsPerson: true, status: 'firing' });
    expect(incident.escalatedAt?.getTime()).to.equal(T0.getTime() + 15 * MINUTE);
    expect((await harness.actions(incident.id)).map((a) => `${a.action}:${a.outcome}`)).to.deep.equal(['snapshot:ok', 'notify:ok', 'escalate:ok', 'notify:ok']);
    expect((slack.bodies.at(-1) as { text: string }).text).to.equal(
      '[NEEDS A PERSON] JobsStuck (critical, service worker, queue clustering): still firing 15 min after the responder acted',
    );

    harness.clock.advance(MINUTE);
    expect((await harness.running.responder.check()).escalated, 'an incident escalates once').to.deep.equal([]);
    await harness.post(webhook([acted]));
    expect((await harness.actions(incident.id)).filter((a) => a.action === 'escalate')).to.have.length(1);
    for (const fingerprint of ['e2', 'e3']) {
      const other = await harness.store.findIncident(fingerprint, new Date(acted.startsAt));
      expect(other, fingerprint).to.include({ needsPerson: false });
    }
  });

  it('escalates on a webhook too, without waiting for the timer', async () => {
    const acted = alert({ fingerprint: 'e4', startsAt: '2031-03-01T09:30:00Z' });
    await harness.post(webhook([acted]));
    harness.clock.advance(16 * MINUTE);
    await harness.post(webhook([alert({ fingerprint: 'e5', labels: { alertname: 'NoWorkers' }, startsAt: '2031-03-01T09:40:00Z' })]));
    const incident = await harness.store.findIncident('e4', new Date(acted.startsAt));
    expect(incident).to.include({ needsPerson: true });
  });
});

describe('responder: dry run', function () {
  this.timeout(20_000);
  const slack = new FakeSlack();
  const harness = new ResponderHarness();
  before(async () => harness.start({ RESPONDER_DRY_RUN: 'true', RESPONDER_PAUSE_ON: 'JobsStuck', RESPONDER_SLACK_WEBHOOK_URL: await slack.start() }));
  after(async () => {
    await harness.close();
    await slack.close();
  });

  it('logs and records what it would do, and does nothing else', async () => {
    const firing = alert({ fingerprint: 'd1' });
    const response = (await harness.post(webhook([firing]))).json() as Handled;
    const id = response.alerts[0]!.incident_id;
    expect(response.alerts[0]!.actions).to.deep.equal([
      { action: 'snapshot', target: '', outcome: 'dry_run' },
      { action: 'pause', target: 'clustering', outcome: 'dry_run' },
      { action: 'notify', target: '', outcome: 'dry_run' },
    ]);
    expect(await harness.queue('clustering').isPaused()).to.equal(false);
    expect(await harness.rows('incident_snapshots')).to.deep.equal([]);
    expect(await harness.rows('queue_pauses')).to.deep.equal([]);
    expect(slack.bodies).to.deep.equal([]);
    const wouldPause = harness.logs.find((line) => line.msg === 'dry run: would pause');
    expect(wouldPause).to.include({
      level: 30,
      service: 'insights-responder',
      incident_id: id,
      alertname: 'JobsStuck',
      target: 'clustering',
      outcome: 'dry_run',
    });

    await harness.post(webhook([firing]));
    expect(await harness.actions(id), 'a redelivery records nothing more').to.have.length(3);

    harness.clock.advance(15 * MINUTE);
    expect((await harness.running.responder.check()).escalated.map((i) => i.id)).to.deep.equal([id]);
    await harness.post(webhook([{ ...firing, status: 'resolved' }]));
    await harness.post(webhook([{ ...firing, status: 'resolved' }]));
    expect((await harness.actions(id)).map((a) => `${a.action}:${a.outcome}`)).to.deep.equal([
      'snapshot:dry_run',
      'pause:dry_run',
      'notify:dry_run',
      'escalate:dry_run',
      'notify:dry_run',
      'resume:dry_run',
      'notify:dry_run',
    ]);
    expect(slack.bodies).to.deep.equal([]);
  });
});
