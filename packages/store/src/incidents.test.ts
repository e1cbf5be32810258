import { expect } from 'chai';
import type pg from 'pg';
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
import { migrate } from './migrate.js';
import { dropSchema, randomSchema, rejection, testPool } from './test-helpers.js';

const T0 = new Date('2030-01-01T10:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

describe('incidents', () => {
  let pool: pg.Pool;
  const schema = randomSchema();
  const options = { schema };
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

  before(async () => {
    pool = testPool(5);
    await migrate(pool, options);
  });

  after(async () => {
    await dropSchema(pool, schema);
    await pool.end();
  });

  it('records a new alert once; a redelivery at the same instant changes nothing, a later one only last_seen', async () => {
    const a = alert();
    const first = await recordAlert(pool, a, at(0), options);
    expect(first.change).to.equal('new');
    expect(first.incident).to.include({ fingerprint: a.fingerprint, status: 'firing', alertname: 'JobsStuck', queue: 'clustering', needsPerson: false });
    expect(first.incident.firstSeen.getTime()).to.equal(at(0).getTime());

    const again = await recordAlert(pool, a, at(0), options);
    expect(again.change).to.equal('unchanged');
    expect(again.incident).to.deep.equal(first.incident);

    const later = await recordAlert(pool, a, at(5), options);
    expect(later.change).to.equal('unchanged');
    expect(later.incident.lastSeen.getTime()).to.equal(at(5).getTime());
    expect(later.incident.firstSeen.getTime()).to.equal(at(0).getTime());
    const older = await recordAlert(pool, a, at(2), options);
    expect(older.incident.lastSeen.getTime()).to.equal(at(5).getTime());
  });

  it('resolves once, and a late firing retry does not reopen the incident', async () => {
    const a = alert();
    await recordAlert(pool, a, at(0), options);
    const resolved = await recordAlert(pool, { ...a, status: 'resolved', endsAt: at(3) }, at(4), options);
    expect(resolved.change).to.equal('resolved');
    expect(resolved.incident.status).to.equal('resolved');
    expect(resolved.incident.endsAt?.getTime()).to.equal(at(3).getTime());
    expect((await recordAlert(pool, { ...a, status: 'resolved', endsAt: at(3) }, at(4), options)).change).to.equal('unchanged');
    const late = await recordAlert(pool, a, at(5), options);
    expect(late.change).to.equal('unchanged');
    expect(late.incident.status).to.equal('resolved');
    // The same alert firing again later starts a new incident.
    expect((await recordAlert(pool, { ...a, startsAt: at(6) }, at(6), options)).change).to.equal('new');
    expect(await findIncident(pool, a.fingerprint, a.startsAt, options)).to.include({ status: 'resolved' });
  });

  it('claims a rate-limited snapshot at most once per interval', async () => {
    const { incident } = await recordAlert(pool, alert(), at(0), options);
    expect(await claimRateLimited(pool, incident.id, 'snapshot', at(0), 300_000, options)).to.equal(true);
    expect(await claimRateLimited(pool, incident.id, 'snapshot', at(4), 300_000, options)).to.equal(false);
    expect(await claimRateLimited(pool, incident.id, 'notify', at(4), 300_000, options)).to.equal(true);
    expect(await claimRateLimited(pool, incident.id, 'snapshot', at(5), 300_000, options)).to.equal(true);
    const claims = await Promise.all([1, 2, 3].map(() => claimRateLimited(pool, incident.id, 'snapshot', at(20), 300_000, options)));
    expect(claims.filter(Boolean)).to.have.length(1);
  });

  it('records pause and escalate once per incident and target; other actions each time', async () => {
    const { incident } = await recordAlert(pool, alert(), at(0), options);
    const base = { incidentId: incident.id, outcome: 'ok' as const, at: at(1), detail: {} };
    expect(await recordAction(pool, { ...base, action: 'pause', target: 'clustering' }, options)).to.equal(true);
    expect(await recordAction(pool, { ...base, action: 'pause', target: 'clustering' }, options)).to.equal(false);
    expect(await recordAction(pool, { ...base, action: 'pause', target: 'team-formation' }, options)).to.equal(true);
    expect(await recordAction(pool, { ...base, action: 'notify', target: '', detail: { status: 200 } }, options)).to.equal(true);
    expect(await recordAction(pool, { ...base, action: 'notify', target: '', outcome: 'failed', detail: { error: 'refused' } }, options)).to.equal(true);
    expect(await hasAction(pool, incident.id, 'pause', 'clustering', options)).to.equal(true);
    expect(await hasAction(pool, incident.id, 'resume', 'clustering', options)).to.equal(false);
    const actions = await listIncidentActions(pool, incident.id, options);
    expect(actions.map((a) => `${a.action}:${a.target}:${a.outcome}`)).to.deep.equal(['pause:clustering:ok', 'pause:team-formation:ok', 'notify::ok', 'notify::failed']);
    expect(actions[3]!.detail).to.deep.equal({ error: 'refused' });
    const error = await rejection(recordAction(pool, { ...base, action: 'reboot' as 'pause', target: '' }, options));
    expect((error as { code?: string }).code).to.equal('23514');
  });

  it('stores snapshots as JSON', async () => {
    const { incident } = await recordAlert(pool, alert(), at(0), options);
    const id = await saveSnapshot(pool, incident.id, at(1), { queues: { clustering: { waiting: 3 } } }, options);
    const [snapshot] = await listIncidentSnapshots(pool, incident.id, options);
    expect(snapshot).to.deep.include({ id, incidentId: incident.id, content: { queues: { clustering: { waiting: 3 } } } });
  });

  it('escalates incidents still firing after the delay, once, in one statement', async () => {
    const acted = (await recordAlert(pool, alert(), at(0), options)).incident;
    const notActed = (await recordAlert(pool, alert(), at(0), options)).incident;
    const resolved = (await recordAlert(pool, alert(), at(0), options)).incident;
    await markActed(pool, acted.id, at(1), options);
    await markActed(pool, acted.id, at(9), options);
    await markActed(pool, resolved.id, at(1), options);
    await recordAlert(pool, { ...resolved, status: 'resolved', endsAt: at(2) }, at(2), options);

    expect(await escalateDue(pool, at(15), 15 * 60_000, 'ok', options)).to.deep.equal([]);
    const escalated = await escalateDue(pool, at(16), 15 * 60_000, 'ok', options);
    expect(escalated.map((i) => i.id)).to.deep.equal([acted.id]);
    expect(escalated[0]).to.include({ needsPerson: true });
    expect(await escalateDue(pool, at(30), 15 * 60_000, 'ok', options)).to.deep.equal([]);
    expect((await listIncidentActions(pool, acted.id, options)).map((a) => a.action)).to.deep.equal(['escalate']);
    expect(await findIncident(pool, notActed.fingerprint, notActed.startsAt, options)).to.include({ needsPerson: false });
    const firing = await listIncidents(pool, { status: 'firing' }, options);
    expect(firing.map((i) => i.id)).to.include.members([acted.id, notActed.id]).and.not.include(resolved.id);
  });

  it('counts the incidents holding a queue pause, lists and releases them', async () => {
    const a = (await recordAlert(pool, alert(), at(0), options)).incident;
    const b = (await recordAlert(pool, alert(), at(0), options)).incident;
    expect(await holdQueuePause(pool, 'q-hold', a.id, at(1), options)).to.equal(0);
    expect(await holdQueuePause(pool, 'q-hold', a.id, at(1), options)).to.equal(0);
    expect(await holdQueuePause(pool, 'q-hold', b.id, at(2), options)).to.equal(1);
    expect(await queuePauseHolders(pool, 'q-hold', options)).to.equal(2);
    expect((await listQueuePauses(pool, { incidentId: a.id }, options)).map((p) => [p.queue, p.status])).to.deep.equal([['q-hold', 'firing']]);
    expect(await listQueuePauses(pool, { resolvedOnly: true }, options)).to.deep.equal([]);
    await recordAlert(pool, { ...a, status: 'resolved', endsAt: at(3) }, at(3), options);
    expect((await listQueuePauses(pool, { resolvedOnly: true }, options)).map((p) => p.incidentId)).to.deep.equal([a.id]);
    expect(await releaseQueuePause(pool, 'q-hold', a.id, options)).to.equal(true);
    expect(await releaseQueuePause(pool, 'q-hold', a.id, options)).to.equal(false);
    expect(await queuePauseHolders(pool, 'q-hold', options)).to.equal(1);
    expect(await releaseQueuePause(pool, 'q-hold', b.id, options)).to.equal(true);
    expect(await queuePauseHolders(pool, 'q-hold', options)).to.equal(0);
  });
});
