import { expect } from 'chai';
import { alert, ResponderHarness, webhook } from './harness.js';

type Action = { action: string; target: string; outcome: string };
type Handled = { alerts: { incident_id: string; actions: Action[] }[] };

/** The pause and resume actions of a handled alert (JobsStuck of the clustering queue is also snapshotted). */
const intake = (actions: Action[]) => actions.filter((a) => a.action === 'pause' || a.action === 'resume');

describe('responder: pausing and resuming queue intake (real Redis and PostgreSQL)', function () {
  this.timeout(20_000);
  const harness = new ResponderHarness();
  before(() => harness.start({ RESPONDER_PAUSE_ON: 'JobsStuck' }));
  after(() => harness.close());
  afterEach(async () => {
    await harness.queue('clustering').resume();
    await harness.queue('team-formation').resume();
  });

  it("pauses the alert's queue once, and resumes it when the last incident holding it resolves", async () => {
    const first = alert({ fingerprint: 'p1' });
    const second = alert({ fingerprint: 'p2', labels: { reason: 'stalling' } });
    const response = (await harness.post(webhook([first]))).json() as Handled;
    expect(intake(response.alerts[0]!.actions)).to.deep.equal([{ action: 'pause', target: 'clustering', outcome: 'ok' }]);
    expect(await harness.queue('clustering').isPaused()).to.equal(true);
    expect(await harness.queue('team-formation').isPaused()).to.equal(false);

    const again = (await harness.post(webhook([first, second]))).json() as Handled;
    expect(intake(again.alerts[0]!.actions), 'a redelivery pauses nothing more').to.deep.equal([]);
    expect(intake(again.alerts[1]!.actions)).to.deep.equal([{ action: 'pause', target: 'clustering', outcome: 'ok' }]);
    expect(await harness.rows('queue_pauses')).to.have.length(2);

    const one = (await harness.post(webhook([{ ...first, status: 'resolved', endsAt: '2031-03-01T09:05:00Z' }]))).json() as Handled;
    expect(intake(one.alerts[0]!.actions)).to.deep.equal([{ action: 'resume', target: 'clustering', outcome: 'skipped' }]);
    expect(await harness.queue('clustering').isPaused(), 'another incident still holds the pause').to.equal(true);

    const both = (
      await harness.post(
        webhook([
          { ...first, status: 'resolved' },
          { ...second, status: 'resolved' },
        ]),
      )
    ).json() as Handled;
    expect(both.alerts.map((a) => intake(a.actions))).to.deep.equal([[], [{ action: 'resume', target: 'clustering', outcome: 'ok' }]]);
    expect(await harness.queue('clustering').isPaused()).to.equal(false);
    expect(await harness.rows('queue_pauses')).to.deep.equal([]);
    const actions = await harness.actions(response.alerts[0]!.incident_id);
    expect(intake(actions).map((a) => `${a.action}:${a.outcome}`)).to.deep.equal(['pause:ok', 'resume:skipped']);
  });

  it('leaves alone a queue a person paused', async () => {
    await harness.queue('clustering').pause();
    const firing = alert({ fingerprint: 'p3' });
    const response = (await harness.post(webhook([firing]))).json() as Handled;
    expect(intake(response.alerts[0]!.actions)).to.deep.equal([{ action: 'pause', target: 'clustering', outcome: 'skipped' }]);
    const resolved = (await harness.post(webhook([{ ...firing, status: 'resolved' }]))).json() as Handled;
    expect(intake(resolved.alerts[0]!.actions)).to.deep.equal([]);
    expect(await harness.queue('clustering').isPaused(), 'still paused, as the person left it').to.equal(true);
  });

  it('does not pause for alerts not configured, nor for a queue it does not know', async () => {
    const response = (
      await harness.post(
        webhook([alert({ fingerprint: 'p4', labels: { alertname: 'NoWorkers' } }), alert({ fingerprint: 'p5', labels: { queue: 'elsewhere' } })]),
      )
    ).json() as Handled;
    expect(response.alerts.map((a) => a.actions)).to.deep.equal([[], []]);
    expect(await harness.queue('clustering').isPaused()).to.equal(false);
  });

  it('retries a resume on the periodic check when the resolution was recorded but the queue not resumed', async () => {
    const firing = alert({ fingerprint: 'p6', labels: { queue: 'team-formation' } });
    await harness.post(webhook([firing]));
    expect(await harness.queue('team-formation').isPaused()).to.equal(true);
    // The resolution reaches the database but not the queue (as if Redis had failed then).
    await harness.db.query(`UPDATE ${harness.schema}.incidents SET status = 'resolved' WHERE fingerprint = 'p6'`);
    const check = await harness.running.responder.check();
    expect(check.resumed).to.deep.equal([{ action: 'resume', target: 'team-formation', outcome: 'ok' }]);
    expect(await harness.queue('team-formation').isPaused()).to.equal(false);
    expect((await harness.running.responder.check()).resumed).to.deep.equal([]);
  });
});
