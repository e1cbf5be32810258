import { once } from 'node:events';
import { expect } from 'chai';
import { Worker } from 'bullmq';
import type { DiagnosticSnapshot } from '@insights/responder';
import { REDIS_URL } from '../helpers/services.js';
import { alert, ResponderHarness, webhook } from './harness.js';

/** A value that must never reach a snapshot: it stands for a person's data inside a job. */
const PERSONAL = 'employee-E7731-jane.doe@example.com';

describe('responder: diagnostic snapshots (real Redis and PostgreSQL)', function () {
  this.timeout(20_000);
  const harness = new ResponderHarness();
  let worker: Worker<unknown, unknown> | undefined;

  before(async () => {
    await harness.start({ RESPONDER_SNAPSHOT_INTERVAL: '5m' });
    const clustering = harness.queue('clustering');
    for (let i = 0; i < 12; i++)
      await clustering.add(
        'clustering',
        { people: [{ employee_id: PERSONAL }] },
        { jobId: `waiting-${String(i).padStart(2, '0')}`, timestamp: Date.now() - (60 - i) * 1000 },
      );
    // A worker of the other queue fails one job, and stays connected, so it shows in the worker list.
    const teams = harness.queue('team-formation');
    const failing = new Worker<unknown, unknown>(
      'team-formation',
      async () => {
        throw new Error(`INTERNAL: ${'x'.repeat(400)}`);
      },
      { connection: { url: REDIS_URL }, prefix: harness.prefix, name: 'test-worker' },
    );
    worker = failing;
    const failed = once(failing, 'failed');
    await teams.add('team-formation', { people: [{ employee_id: PERSONAL }] }, { jobId: 'fails-1', attempts: 1 });
    await failed;
  });

  after(async () => {
    await worker?.close();
    await harness.close();
  });

  it('collects counts, oldest waiting jobs, workers and failures of both queues, never job data', async () => {
    const response = await harness.post(webhook([alert({ fingerprint: 'stuck-1' })]));
    const handled = (response.json() as { alerts: { incident_id: string; actions: { action: string; outcome: string }[] }[] }).alerts[0]!;
    expect(handled.actions).to.deep.equal([{ action: 'snapshot', target: '', outcome: 'ok' }]);

    const snapshots = await harness.store.listIncidentSnapshots(handled.incident_id);
    expect(snapshots).to.have.length(1);
    const content = snapshots[0]!.content as unknown as DiagnosticSnapshot;
    expect(content.taken_at).to.equal(harness.clock.now.toISOString());
    const clustering = content.queues.clustering!;
    const teams = content.queues['team-formation']!;
    expect(clustering.counts).to.include({ waiting: 12, active: 0, failed: 0 });
    expect(clustering.paused).to.equal(false);
    expect(clustering.oldest_waiting.map((j) => j.id)).to.deep.equal(Array.from({ length: 10 }, (_, i) => `waiting-${String(i).padStart(2, '0')}`));
    expect(clustering.oldest_waiting[0]).to.have.all.keys('id', 'name', 'age_seconds', 'attempts');
    expect(teams.counts).to.include({ failed: 1 });
    expect(teams.recent_failures).to.have.length(1);
    expect(teams.recent_failures[0]).to.include({ id: 'fails-1', attempts: 1 });
    expect(teams.recent_failures[0]!.reason)
      .to.match(/^INTERNAL: x+…$/)
      .and.have.length(200);
    expect(teams.workers.map((w) => w.name)).to.deep.equal(['test-worker']);
    expect(teams.workers[0]!.addr).to.match(/^127\.0\.0\.1:\d+$/);
    expect(clustering.workers).to.deep.equal([]);
    expect(teams.workers[0]).to.have.all.keys('name', 'addr');
    expect(JSON.stringify(content)).not.to.include(PERSONAL);
    const actions = await harness.actions(handled.incident_id);
    expect(actions[0]!.detail).to.deep.equal({ snapshot_id: snapshots[0]!.id });
  });

  it('takes at most one snapshot per incident per interval', async () => {
    const body = webhook([alert({ fingerprint: 'stuck-2' })]);
    const first = (await harness.post(body)).json() as { alerts: { incident_id: string }[] };
    const id = first.alerts[0]!.incident_id;
    harness.clock.advance(4 * 60_000);
    await harness.post(body);
    expect(await harness.store.listIncidentSnapshots(id)).to.have.length(1);
    harness.clock.advance(60_000);
    await harness.post(body);
    expect(await harness.store.listIncidentSnapshots(id)).to.have.length(2);
  });

  it('diagnoses HighErrorRate (no queue label) but not JobsStuck of the team-formation queue', async () => {
    const response = await harness.post(
      webhook([
        alert({ fingerprint: 'errors-1', labels: { alertname: 'HighErrorRate', service: 'api', queue: '' } }),
        alert({ fingerprint: 'teams-1', labels: { queue: 'team-formation' } }),
      ]),
    );
    const alerts = (response.json() as { alerts: { alertname: string; actions: { action: string }[] }[] }).alerts;
    expect(alerts.map((a) => [a.alertname, a.actions.map((x) => x.action)])).to.deep.equal([
      ['HighErrorRate', ['snapshot']],
      ['JobsStuck', []],
    ]);
  });
});
