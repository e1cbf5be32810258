import { expect } from 'chai';
import { alert, FakeSlack, ResponderHarness, T0, webhook } from './harness.js';

type Handled = { alerts: { incident_id: string; change: string; actions: { action: string; target: string; outcome: string }[] }[] };
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const texts = (slack: FakeSlack) => slack.bodies.map((b) => (b as { text: string }).text);

describe('responder: stale incidents release their pauses (injected clock)', function () {
  this.timeout(20_000);
  const slack = new FakeSlack();
  const harness = new ResponderHarness();
  // No longest pause here: only staleness may release the hold.
  before(async () =>
    harness.start({
      RESPONDER_PAUSE_ON: 'JobsStuck',
      RESPONDER_MAX_PAUSE: '0',
      RESPONDER_SLACK_WEBHOOK_URL: await slack.start(),
      RESPONDER_ESCALATE_AFTER: '1d',
    }),
  );
  after(async () => {
    await harness.close();
    await slack.close();
  });

  it('resumes the queue of an incident not reported for longer than 4h30m, marks it stale, and never resolved', async () => {
    // s1 resolves while silenced: Alertmanager sends no resolved notification, nor any repeat.
    const silenced = alert({ fingerprint: 's1' });
    const other = alert({ fingerprint: 's2', labels: { reason: 'stalling' }, startsAt: '2031-03-01T12:00:00Z' });
    const first = (await harness.post(webhook([silenced]))).json() as Handled;
    const id = first.alerts[0]!.incident_id;
    expect(await harness.queue('clustering').isPaused()).to.equal(true);

    harness.clock.advance(4 * HOUR);
    await harness.post(webhook([other])); // another incident holds the pause too, and is reported
    harness.clock.advance(30 * MINUTE);
    const early = await harness.running.responder.check();
    expect(early.stale, 'not longer than 4h30m yet').to.deep.equal([]);
    expect(early.resumed).to.deep.equal([]);

    harness.clock.advance(1);
    const check = await harness.running.responder.check();
    expect(check.stale.map((i) => [i.fingerprint, i.status])).to.deep.equal([['s1', 'stale']]);
    expect(check.resumed).to.deep.equal([{ action: 'resume', target: 'clustering', outcome: 'skipped' }]);
    expect(await harness.queue('clustering').isPaused(), 's2 still fires and holds the pause').to.equal(true);
    const resume = (await harness.actions(id)).find((a) => a.action === 'resume')!;
    expect(resume.detail).to.include({ lifted: 'stale', last_seen: T0.toISOString(), stale_after_ms: 4.5 * HOUR });
    expect((await harness.incidents()).find((i) => i.id === id)).to.include({ status: 'stale', needsPerson: false });
    expect(await harness.rows('queue_pauses')).to.have.length(1);

    const again = await harness.running.responder.check();
    expect([again.stale, again.resumed], 'a second check changes nothing').to.deep.equal([[], []]);

    // s2 goes stale too: the last hold is released and the queue resumed.
    harness.clock.advance(4 * HOUR);
    const last = await harness.running.responder.check();
    expect(last.stale.map((i) => i.fingerprint)).to.deep.equal(['s2']);
    expect(last.resumed).to.deep.equal([{ action: 'resume', target: 'clustering', outcome: 'ok' }]);
    expect(await harness.queue('clustering').isPaused()).to.equal(false);
    expect(await harness.rows('queue_pauses')).to.deep.equal([]);
    expect(texts(slack).filter((t) => t.startsWith('[STALE]'))).to.have.length(2);
    expect(texts(slack).at(-1)).to.match(/^\[STALE\] JobsStuck .*: not reported for 270 min, taken as no longer firing; intake of queue clustering resumed$/);
  });

  it('takes a later resolved notification as the resolution, and a firing one as firing again, without pausing again', async () => {
    const silenced = alert({ fingerprint: 's3', startsAt: '2031-03-01T20:00:00Z' });
    const revived = alert({ fingerprint: 's4', labels: { reason: 'stalling' }, startsAt: '2031-03-01T20:00:00Z' });
    await harness.post(webhook([silenced, revived]));
    harness.clock.advance(5 * HOUR);
    expect((await harness.running.responder.check()).stale.map((i) => i.fingerprint)).to.deep.equal(['s3', 's4']);
    expect(await harness.queue('clustering').isPaused()).to.equal(false);

    const resolved = (await harness.post(webhook([{ ...silenced, status: 'resolved' }]))).json() as Handled;
    expect(resolved.alerts[0]!.change).to.equal('resolved');
    expect(resolved.alerts[0]!.actions.map((a) => `${a.action}:${a.outcome}`)).to.deep.equal(['notify:ok']);
    expect(texts(slack).at(-1)).to.match(/^\[RESOLVED\] JobsStuck/);

    const firing = (await harness.post(webhook([revived]))).json() as Handled;
    expect(firing.alerts[0]).to.include({ change: 'reopened' });
    expect(
      firing.alerts[0]!.actions.map((a) => a.action),
      'a pause is taken once per incident',
    ).to.not.include('pause');
    expect(await harness.queue('clustering').isPaused()).to.equal(false);
    const incidents = await harness.incidents();
    expect(incidents.find((i) => i.fingerprint === 's3')).to.include({ status: 'resolved' });
    expect(incidents.find((i) => i.fingerprint === 's4')).to.include({ status: 'firing' });
  });
});

describe('responder: the longest pause (injected clock)', function () {
  this.timeout(20_000);
  const slack = new FakeSlack();
  const harness = new ResponderHarness();
  before(async () =>
    harness.start({
      RESPONDER_PAUSE_ON: 'JobsStuck',
      RESPONDER_MAX_PAUSE: '2h',
      RESPONDER_SLACK_WEBHOOK_URL: await slack.start(),
      RESPONDER_ESCALATE_AFTER: '1d',
      RESPONDER_NOTIFY_INTERVAL: '1d',
    }),
  );
  after(async () => {
    await harness.close();
    await slack.close();
  });

  it('resumes a queue paused for 2h although the alert still fires, and escalates every incident holding it, once', async () => {
    const first = alert({ fingerprint: 'm1' });
    const second = alert({ fingerprint: 'm2', labels: { reason: 'stalling' } });
    await harness.post(webhook([first]));
    harness.clock.advance(HOUR);
    await harness.post(webhook([first, second])); // m2 joins the pause m1 made
    expect(await harness.rows('queue_pauses')).to.have.length(2);

    harness.clock.advance(HOUR - 1);
    await harness.post(webhook([first, second]));
    const early = await harness.running.responder.check();
    expect([early.resumed, early.escalated]).to.deep.equal([[], []]);
    expect(await harness.queue('clustering').isPaused()).to.equal(true);

    harness.clock.advance(1);
    const check = await harness.running.responder.check();
    expect(check.resumed.map((a) => a.outcome)).to.deep.equal(['skipped', 'ok']);
    expect(check.escalated.map((i) => [i.fingerprint, i.needsPerson])).to.deep.equal([
      ['m1', true],
      ['m2', true],
    ]);
    expect(await harness.queue('clustering').isPaused()).to.equal(false);
    expect(await harness.rows('queue_pauses')).to.deep.equal([]);
    for (const incident of check.escalated) {
      const actions = await harness.actions(incident.id);
      expect(actions.find((a) => a.action === 'resume')!.detail).to.include({ lifted: 'max_pause', paused_at: T0.toISOString(), max_pause_ms: 2 * HOUR });
      expect(actions.find((a) => a.action === 'escalate')!.detail).to.deep.equal({ reason: 'max_pause', max_pause_ms: 2 * HOUR });
    }
    expect(texts(slack).filter((t) => t.startsWith('[NEEDS A PERSON]'))).to.have.length(2);
    expect(texts(slack).at(-1)).to.match(/^\[NEEDS A PERSON\] JobsStuck .*: still firing; intake of queue clustering resumed after 120 min paused$/);

    // Still firing: reported again, nothing is paused again, and nothing more happens.
    const posts = slack.bodies.length;
    const again = (await harness.post(webhook([first, second]))).json() as Handled;
    expect(again.alerts.map((a) => a.actions)).to.deep.equal([[], []]);
    expect(await harness.queue('clustering').isPaused()).to.equal(false);
    harness.clock.advance(HOUR);
    const later = await harness.running.responder.check();
    expect([later.resumed, later.escalated]).to.deep.equal([[], []]);
    expect(slack.bodies).to.have.length(posts);
  });
});

describe('responder: stale incidents and the longest pause in a dry run (injected clock)', function () {
  this.timeout(20_000);
  const harness = new ResponderHarness();
  before(() => harness.start({ RESPONDER_DRY_RUN: 'true', RESPONDER_PAUSE_ON: 'JobsStuck', RESPONDER_MAX_PAUSE: '2h', RESPONDER_ESCALATE_AFTER: '1d' }));
  after(() => harness.close());

  it('records the resumes and the escalation a real run would make, and pauses nothing', async () => {
    const firing = alert({ fingerprint: 'd1' });
    const id = ((await harness.post(webhook([firing]))).json() as Handled).alerts[0]!.incident_id;
    harness.clock.advance(2 * HOUR);
    const lifted = await harness.running.responder.check();
    expect(lifted.resumed).to.deep.equal([{ action: 'resume', target: 'clustering', outcome: 'dry_run' }]);
    expect(lifted.escalated.map((i) => i.id)).to.deep.equal([id]);
    expect((await harness.running.responder.check()).resumed, 'once').to.deep.equal([]);

    harness.clock.advance(3 * HOUR);
    const stale = await harness.running.responder.check();
    expect(stale.stale.map((i) => i.id)).to.deep.equal([id]);
    expect(stale.resumed, 'already lifted').to.deep.equal([]);
    expect((await harness.actions(id)).map((a) => `${a.action}:${a.outcome}:${String(a.detail.lifted ?? a.detail.reason ?? '')}`)).to.deep.equal([
      'snapshot:dry_run:',
      'pause:dry_run:',
      'resume:dry_run:max_pause',
      'escalate:dry_run:max_pause',
    ]);
    expect(await harness.queue('clustering').isPaused()).to.equal(false);
    expect(await harness.rows('queue_pauses')).to.deep.equal([]);
  });
});
