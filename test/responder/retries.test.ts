import { expect } from 'chai';
import pg from 'pg';
import { alert, FakeSlack, ResponderHarness, webhook } from './harness.js';

type Handled = { alerts: { incident_id: string; change: string; actions: { action: string; target: string; outcome: string }[] }[] };

/** Makes PostgreSQL refuse a statement on a table of the harness's schema until the returned function is called. */
async function failing(harness: ResponderHarness, table: string, event: 'INSERT' | 'DELETE'): Promise<() => Promise<void>> {
  const schema = pg.escapeIdentifier(harness.schema);
  await harness.db.query(
    `CREATE OR REPLACE FUNCTION ${schema}.injected_failure() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$`,
  );
  await harness.db.query(
    `CREATE TRIGGER injected_failure BEFORE ${event} ON ${schema}.${pg.escapeIdentifier(table)} FOR EACH ROW EXECUTE FUNCTION ${schema}.injected_failure()`,
  );
  return async () => {
    await harness.db.query(`DROP TRIGGER injected_failure ON ${schema}.${pg.escapeIdentifier(table)}`);
  };
}

describe('responder: a delivery that fails half-way, retried by Alertmanager (real Redis and PostgreSQL)', function () {
  this.timeout(20_000);
  const slack = new FakeSlack();
  const harness = new ResponderHarness();
  before(async () =>
    harness.start({
      RESPONDER_PAUSE_ON: 'JobsStuck',
      RESPONDER_SLACK_WEBHOOK_URL: await slack.start(),
      RESPONDER_NOTIFY_INTERVAL: '1h',
      RESPONDER_ESCALATE_AFTER: '1h',
    }),
  );
  after(async () => {
    await harness.close();
    await slack.close();
  });
  afterEach(() => harness.queue('clustering').resume());

  it('posts the resolution on the retry of a delivery that failed after recording the incident resolved', async () => {
    const firing = alert({ fingerprint: 'r1' });
    const resolved = { ...firing, status: 'resolved' as const };
    await harness.post(webhook([firing]));
    expect(await harness.queue('clustering').isPaused()).to.equal(true);
    const before = slack.bodies.length;

    // The incident is recorded resolved, then releasing the pause fails: the delivery fails.
    const restore = await failing(harness, 'queue_pauses', 'DELETE');
    try {
      expect((await harness.post(webhook([resolved]))).statusCode).to.equal(503);
    } finally {
      await restore();
    }
    expect((await harness.incidents()).find((i) => i.fingerprint === 'r1')).to.include({ status: 'resolved' });
    expect(slack.bodies).to.have.length(before);

    const retry = (await harness.post(webhook([resolved]))).json() as Handled;
    expect(retry.alerts[0]!.change).to.equal('unchanged');
    expect(retry.alerts[0]!.actions.map((a) => `${a.action}:${a.target}:${a.outcome}`)).to.deep.equal(['resume:clustering:ok', 'notify::ok']);
    expect(slack.bodies).to.have.length(before + 1);
    expect((slack.bodies.at(-1) as { text: string }).text).to.match(/^\[RESOLVED\] JobsStuck/);
    expect(await harness.queue('clustering').isPaused()).to.equal(false);

    // Idempotent: a redelivery changes nothing.
    const rows = { actions: await harness.rows('incident_actions'), incidents: await harness.rows('incidents') };
    const again = (await harness.post(webhook([resolved]))).json() as Handled;
    expect(again.alerts[0]!.actions).to.deep.equal([]);
    expect(slack.bodies).to.have.length(before + 1);
    expect(await harness.rows('incident_actions')).to.deep.equal(rows.actions);
    expect(await harness.rows('incidents')).to.deep.equal(rows.incidents);
  });

  it('does not summarise the resolution of an alert it never saw firing, even when redelivered', async () => {
    const before = slack.bodies.length;
    const resolved = alert({ fingerprint: 'r2', status: 'resolved' });
    await harness.post(webhook([resolved]));
    await harness.post(webhook([resolved]));
    expect(slack.bodies).to.have.length(before);
  });

  it('takes the snapshot on the retry of a delivery whose snapshot could not be saved', async () => {
    const firing = alert({ fingerprint: 'r3', labels: { reason: 'stalling' } });
    const restore = await failing(harness, 'incident_snapshots', 'INSERT');
    try {
      expect((await harness.post(webhook([firing]))).statusCode).to.equal(503);
    } finally {
      await restore();
    }
    const incident = (await harness.incidents()).find((i) => i.fingerprint === 'r3')!;
    expect(incident.lastSnapshotAt, 'the rate limit is not spent on a snapshot that was not saved').to.equal(null);

    harness.clock.advance(10_000);
    const retry = (await harness.post(webhook([firing]))).json() as Handled;
    expect(retry.alerts[0]!.actions.map((a) => `${a.action}:${a.outcome}`)).to.include('snapshot:ok');
    expect(await harness.store.listIncidentSnapshots(incident.id)).to.have.length(1);

    harness.clock.advance(10_000);
    const again = (await harness.post(webhook([firing]))).json() as Handled;
    expect(again.alerts[0]!.actions, 'rate-limited as before').to.deep.equal([]);
    expect(await harness.store.listIncidentSnapshots(incident.id)).to.have.length(1);
  });
});
