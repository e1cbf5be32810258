import { expect } from 'chai';
import {
  claimRateLimited,
  escalateDue,
  findIncident,
  hasAction,
  holdQueuePause,
  listIncidentActions,
  listIncidents,
  listIncidentSnapshots,
  markActed,
  queuePauseHolders,
  recordAction,
  recordAlert,
  releaseQueuePause,
  listQueuePauses,
  saveSnapshot,
  type ObservedAlert,
} from './incidents.js';
import { migratedSchema, rejection } from './test-helpers.js';

const T0 = new Date('2030-01-01T10:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

describe('incidents', () => {
  const db = migratedSchema(5);
  const { schema, options } = db;
  let n = 0;

  function alert(overrides: Partial<ObservedAlert> = {}): ObservedAlert {
    n += 1;
    return {
      fingerprint: `fp${n}`,
      startsAt: at(-10),
      status: 'firing',
      alertname: 'JobsStuck',
      severity: 'critical',
      service: 'worker',
      queue: 'clustering',
      summary: 'Jobs of queue clustering are not making progress',
      endsAt: null,
      ...overrides,
    };
  }

  it('records a new alert once; a redelivery at the same instant changes nothing, a later one only last_seen', async () => {
    const a = alert();
    const first = await recordAlert(db.pool, a, at(0), options);
    expect(first.change).to.equal('new');
    expect(first.incident).to.include({ fingerprint: a.fingerprint, status: 'firing', alertname: 'JobsStuck', queue: 'clustering', needsPerson: false });
    expect(first.incident.firstSeen.getTime()).to.equal(at(0).getTime());

    const again = await recordAlert(db.pool, a, at(0), options);
    expect(again.change).to.equal('unchanged');
    expect(again.incident).to.deep.equal(first.incident);

    const later = await recordAlert(db.pool, a, at(5), options);
    expect(later.change).to.equal('unchanged');
    expect(later.incident.lastSeen.getTime()).to.equal(at(5).getTime());
    expect(later.incident.firstSeen.getTime()).to.equal(at(0).getTime());
    const older = await recordAlert(db.pool, a, at(2), options);
    expect(older.incident.lastSeen.getTime()).to.equal(at(5).getTime());
  });

  it('resolves once, and a late firing retry does not reopen the incident', async () => {
    const a = alert();
    await recordAlert(db.pool, a, at(0), options);
    const resolved = await recordAlert(db.pool, { ...a, status: 'resolved', endsAt: at(3) }, at(4), options);
    expect(resolved.change).to.equal('resolved');
    expect(resolved.incident.status).to.equal('resolved');
    expect(resolved.incident.endsAt?.getTime()).to.equal(at(3).getTime());
    expect((await recordAlert(db.pool, { ...a, status: 'resolved', endsAt: at(3) }, at(4), options)).change).to.equal('unchanged');
    const late = await recordAlert(db.pool, a, at(5), options);
    expect(late.change).to.equal('unchanged');
    expect(late.incident.status).to.equal('resolved');
    // The same alert firing again later starts a new incident.
    expect((await recordAlert(db.pool, { ...a, startsAt: at(6) }, at(6), options)).change).to.equal('new');
    expect(await findIncident(db.pool, a.fingerprint, a.startsAt, options)).to.include({ status: 'resolved' });
  });

  it('takes a stale incident back to firing (reopened) or to resolved, and knows whether it was seen firing', async () => {
    const a = alert();
    const b = alert();
    await recordAlert(db.pool, a, at(0), options);
    await recordAlert(db.pool, b, at(0), options);
    await db.pool.query(`UPDATE ${schema}.incidents SET status = 'stale' WHERE fingerprint IN ($1, $2)`, [a.fingerprint, b.fingerprint]);
    const reopened = await recordAlert(db.pool, a, at(300), options);
    expect(reopened.change).to.equal('reopened');
    expect(reopened.incident).to.include({ status: 'firing', seenFiring: true });
    expect((await recordAlert(db.pool, a, at(301), options)).change).to.equal('unchanged');
    const resolved = await recordAlert(db.pool, { ...b, status: 'resolved', endsAt: at(200) }, at(300), options);
    expect(resolved.change).to.equal('resolved');
    expect(resolved.incident).to.include({ status: 'resolved', seenFiring: true });
    const neverFiring = await recordAlert(db.pool, alert({ status: 'resolved', endsAt: at(1) }), at(2), options);
    expect(neverFiring.incident).to.include({ status: 'resolved', seenFiring: false });
  });

  it('claims the snapshot rate limit in the statement that saves the snapshot, so a failed save leaves it', async () => {
    const { incident } = await recordAlert(db.pool, alert(), at(0), options);
    await db.pool.query(`CREATE FUNCTION ${schema}.refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$`);
    await db.pool.query(`CREATE TRIGGER refuse BEFORE INSERT ON ${schema}.incident_snapshots FOR EACH ROW EXECUTE FUNCTION ${schema}.refuse()`);
    try {
      await rejection(saveSnapshot(db.pool, incident.id, at(1), { n: 1 }, { ...options, claimIntervalMs: 300_000 }));
    } finally {
      await db.pool.query(`DROP TRIGGER refuse ON ${schema}.incident_snapshots`);
    }
    expect(await findIncident(db.pool, incident.fingerprint, incident.startsAt, options)).to.include({ lastSnapshotAt: null, actedAt: null });
    const id = await saveSnapshot(db.pool, incident.id, at(1), { n: 2 }, { ...options, claimIntervalMs: 300_000 });
    expect(id).to.be.a('string');
    expect(await saveSnapshot(db.pool, incident.id, at(5), { n: 3 }, { ...options, claimIntervalMs: 300_000 })).to.equal(null);
    expect(await saveSnapshot(db.pool, incident.id, at(6), { n: 4 }, { ...options, claimIntervalMs: 300_000 })).to.be.a('string');
    expect((await listIncidentSnapshots(db.pool, incident.id, options)).map((x) => x.content)).to.deep.equal([{ n: 2 }, { n: 4 }]);
    const after = (await findIncident(db.pool, incident.fingerprint, incident.startsAt, options))!;
    expect([after.lastSnapshotAt?.getTime(), after.actedAt?.getTime()]).to.deep.equal([at(6).getTime(), at(1).getTime()]); // Resolved, so that it does not count in the escalation test below.
    await recordAlert(db.pool, { ...after, status: 'resolved', endsAt: at(7) }, at(7), options);
  });

  it('claims a rate-limited snapshot at most once per interval', async () => {
    const { incident } = await recordAlert(db.pool, alert(), at(0), options);
    expect(await claimRateLimited(db.pool, incident.id, 'snapshot', at(0), 300_000, options)).to.equal(true);
    expect(await claimRateLimited(db.pool, incident.id, 'snapshot', at(4), 300_000, options)).to.equal(false);
    expect(await claimRateLimited(db.pool, incident.id, 'notify', at(4), 300_000, options)).to.equal(true);
    expect(await claimRateLimited(db.pool, incident.id, 'snapshot', at(5), 300_000, options)).to.equal(true);
    const claims = await Promise.all([1, 2, 3].map(() => claimRateLimited(db.pool, incident.id, 'snapshot', at(20), 300_000, options)));
    expect(claims.filter(Boolean)).to.have.length(1);
  });

  it('records pause and escalate once per incident and target; other actions each time', async () => {
    const { incident } = await recordAlert(db.pool, alert(), at(0), options);
    const base = { incidentId: incident.id, outcome: 'ok' as const, at: at(1), detail: {} };
    expect(await recordAction(db.pool, { ...base, action: 'pause', target: 'clustering' }, options)).to.equal(true);
    expect(await recordAction(db.pool, { ...base, action: 'pause', target: 'clustering' }, options)).to.equal(false);
    expect(await recordAction(db.pool, { ...base, action: 'pause', target: 'team-formation' }, options)).to.equal(true);
    expect(await recordAction(db.pool, { ...base, action: 'notify', target: '', detail: { status: 200 } }, options)).to.equal(true);
    expect(await recordAction(db.pool, { ...base, action: 'notify', target: '', outcome: 'failed', detail: { error: 'refused' } }, options)).to.equal(true);
    expect(await hasAction(db.pool, incident.id, 'pause', 'clustering', options)).to.equal(true);
    expect(await hasAction(db.pool, incident.id, 'resume', 'clustering', options)).to.equal(false);
    const actions = await listIncidentActions(db.pool, incident.id, options);
    expect(actions.map((a) => `${a.action}:${a.target}:${a.outcome}`)).to.deep.equal([
      'pause:clustering:ok',
      'pause:team-formation:ok',
      'notify::ok',
      'notify::failed',
    ]);
    expect(actions[3]!.detail).to.deep.equal({ error: 'refused' });
    const error = await rejection(recordAction(db.pool, { ...base, action: 'reboot' as 'pause', target: '' }, options));
    expect((error as { code?: string }).code).to.equal('23514');
  });

  it('stores snapshots as JSON', async () => {
    const { incident } = await recordAlert(db.pool, alert(), at(0), options);
    const id = await saveSnapshot(db.pool, incident.id, at(1), { queues: { clustering: { waiting: 3 } } }, options);
    const [snapshot] = await listIncidentSnapshots(db.pool, incident.id, options);
    expect(snapshot).to.deep.include({ id, incidentId: incident.id, content: { queues: { clustering: { waiting: 3 } } } });
  });

  it('escalates incidents still firing after the delay, once, in one statement', async () => {
    const acted = (await recordAlert(db.pool, alert(), at(0), options)).incident;
    const notActed = (await recordAlert(db.pool, alert(), at(0), options)).incident;
    const resolved = (await recordAlert(db.pool, alert(), at(0), options)).incident;
    await markActed(db.pool, acted.id, at(1), options);
    await markActed(db.pool, acted.id, at(9), options);
    await markActed(db.pool, resolved.id, at(1), options);
    await recordAlert(db.pool, { ...resolved, status: 'resolved', endsAt: at(2) }, at(2), options);

    expect(await escalateDue(db.pool, at(15), 15 * 60_000, 'ok', options)).to.deep.equal([]);
    const escalated = await escalateDue(db.pool, at(16), 15 * 60_000, 'ok', options);
    expect(escalated.map((i) => i.id)).to.deep.equal([acted.id]);
    expect(escalated[0]).to.include({ needsPerson: true });
    expect(await escalateDue(db.pool, at(30), 15 * 60_000, 'ok', options)).to.deep.equal([]);
    expect((await listIncidentActions(db.pool, acted.id, options)).map((a) => a.action)).to.deep.equal(['escalate']);
    expect(await findIncident(db.pool, notActed.fingerprint, notActed.startsAt, options)).to.include({ needsPerson: false });
    const firing = await listIncidents(db.pool, { status: 'firing' }, options);
    expect(firing.map((i) => i.id))
      .to.include.members([acted.id, notActed.id])
      .and.not.include(resolved.id);
  });

  it('escalates only the incidents named, with the detail given', async () => {
    const a = (await recordAlert(db.pool, alert(), at(0), options)).incident;
    const b = (await recordAlert(db.pool, alert(), at(0), options)).incident;
    await markActed(db.pool, a.id, at(1), options);
    await markActed(db.pool, b.id, at(1), options);
    const escalated = await escalateDue(db.pool, at(2), 0, 'ok', { ...options, only: [a.id], detail: { reason: 'max_pause' } });
    expect(escalated.map((i) => i.id)).to.deep.equal([a.id]);
    expect((await listIncidentActions(db.pool, a.id, options)).map((x) => x.detail)).to.deep.equal([{ reason: 'max_pause' }]);
    expect(await findIncident(db.pool, b.fingerprint, b.startsAt, options)).to.include({ needsPerson: false });
    await recordAlert(db.pool, { ...b, status: 'resolved', endsAt: at(3) }, at(3), options);
  });

  it('counts the incidents holding a queue pause, lists and releases them', async () => {
    const a = (await recordAlert(db.pool, alert(), at(0), options)).incident;
    const b = (await recordAlert(db.pool, alert(), at(0), options)).incident;
    expect(await holdQueuePause(db.pool, 'q-hold', a.id, at(1), options)).to.equal(0);
    expect(await holdQueuePause(db.pool, 'q-hold', a.id, at(1), options)).to.equal(0);
    expect(await holdQueuePause(db.pool, 'q-hold', b.id, at(2), options)).to.equal(1);
    expect(await queuePauseHolders(db.pool, 'q-hold', options)).to.equal(2);
    expect((await listQueuePauses(db.pool, { incidentId: a.id }, options)).map((p) => [p.queue, p.status])).to.deep.equal([['q-hold', 'firing']]);
    expect(await listQueuePauses(db.pool, { resolvedOnly: true }, options)).to.deep.equal([]);
    await recordAlert(db.pool, { ...a, status: 'resolved', endsAt: at(3) }, at(3), options);
    expect((await listQueuePauses(db.pool, { resolvedOnly: true }, options)).map((p) => p.incidentId)).to.deep.equal([a.id]);
    expect(await releaseQueuePause(db.pool, 'q-hold', a.id, options)).to.equal(true);
    expect(await releaseQueuePause(db.pool, 'q-hold', a.id, options)).to.equal(false);
    expect(await queuePauseHolders(db.pool, 'q-hold', options)).to.equal(1);
    expect(await releaseQueuePause(db.pool, 'q-hold', b.id, options)).to.equal(true);
    expect(await queuePauseHolders(db.pool, 'q-hold', options)).to.equal(0);
  });

  it("dates a joining hold from the queue's pause, and lists pauses by age and of incidents no longer firing", async () => {
    const a = (await recordAlert(db.pool, alert(), at(0), options)).incident;
    const b = (await recordAlert(db.pool, alert(), at(0), options)).incident;
    const c = (await recordAlert(db.pool, alert(), at(0), options)).incident;
    await holdQueuePause(db.pool, 'q-age', a.id, at(1), options);
    await holdQueuePause(db.pool, 'q-age', b.id, at(50), options);
    await holdQueuePause(db.pool, 'q-young', c.id, at(100), options);
    await releaseQueuePause(db.pool, 'q-age', a.id, options);
    // b joined a pause that began at 1: the queue has been paused since then, whoever holds it now.
    const ofB = await listQueuePauses(db.pool, { incidentId: b.id }, options);
    expect(ofB.map((p) => [p.queue, p.pausedAt.getTime(), p.fingerprint])).to.deep.equal([['q-age', at(1).getTime(), b.fingerprint]]);
    expect((await listQueuePauses(db.pool, { pausedBy: at(99) }, options)).map((p) => p.incidentId)).to.deep.equal([b.id]);
    expect((await listQueuePauses(db.pool, { pausedBy: at(100) }, options)).map((p) => p.incidentId)).to.deep.equal([b.id, c.id]);
    await db.pool.query(`UPDATE ${schema}.incidents SET status = 'stale' WHERE id = $1`, [c.id]);
    expect((await listQueuePauses(db.pool, { notFiring: true }, options)).map((p) => [p.incidentId, p.status])).to.deep.equal([[c.id, 'stale']]);
    expect(await listQueuePauses(db.pool, { resolvedOnly: true }, options)).to.deep.equal([]);
  });
});
