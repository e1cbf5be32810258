import { expect } from 'chai';
import type { Incident } from '@insights/store/incidents';
import { alertSummary, escalationSummary, pauseLiftedSummary, staleSummary } from './notify.js';

const incident: Incident = {
  id: '42',
  fingerprint: 'abc',
  startsAt: new Date('2030-01-01T10:00:00Z'),
  status: 'firing',
  alertname: 'JobsStuck',
  severity: 'critical',
  service: 'worker',
  queue: 'clustering',
  summary: 'Jobs of queue clustering are not making progress',
  endsAt: null,
  firstSeen: new Date('2030-01-01T10:00:05Z'),
  lastSeen: new Date('2030-01-01T10:00:05Z'),
  actedAt: null,
  lastSnapshotAt: null,
  lastNotifiedAt: null,
  needsPerson: false,
  escalatedAt: null,
  seenFiring: true,
};

describe('responder summaries', () => {
  it('says what fired and what the responder did', () => {
    const message = alertSummary(incident, 'firing', [
      { action: 'snapshot', target: '', outcome: 'ok' },
      { action: 'pause', target: 'clustering', outcome: 'dry_run' },
    ]);
    expect(message.text).to.equal('[FIRING] JobsStuck (critical, service worker, queue clustering): Jobs of queue clustering are not making progress');
    expect(message.blocks![0]!.text.text)
      .to.include('Incident 42')
      .and.include('diagnostic snapshot taken; intake of queue clustering paused (dry run: not done)');
  });

  it('says when nothing was done, and escalations', () => {
    expect(alertSummary({ ...incident, severity: null, service: null, queue: null, summary: null }, 'resolved', []).blocks![0]!.text.text).to.match(
      /^\[RESOLVED\] JobsStuck: no summary\n.*no automatic action\.$/,
    );
    expect(escalationSummary(incident, 15 * 60_000).text).to.equal(
      '[NEEDS A PERSON] JobsStuck (critical, service worker, queue clustering): still firing 15 min after the responder acted',
    );
  });

  it('says what a stale incident and a lifted pause released', () => {
    const resumed = [{ action: 'resume' as const, target: 'clustering', outcome: 'ok' as const }];
    expect(staleSummary(incident, 270 * 60_000, resumed).text).to.equal(
      '[STALE] JobsStuck (critical, service worker, queue clustering): not reported for 270 min, taken as no longer firing; intake of queue clustering resumed',
    );
    expect(pauseLiftedSummary(incident, 2 * 3_600_000, [{ ...resumed[0]!, outcome: 'dry_run' }]).text).to.equal(
      '[NEEDS A PERSON] JobsStuck (critical, service worker, queue clustering): still firing; intake of queue clustering resumed after 120 min paused (dry run: not done)',
    );
  });

  it("escapes Slack's control characters in what Alertmanager sends, so that a summary cannot link or mention", () => {
    const hostile = { ...incident, alertname: 'Jobs<Stuck>', summary: 'Queue a&b is stuck <!channel> <https://evil.example|click>' };
    const escaped = 'Queue a&amp;b is stuck &lt;!channel&gt; &lt;https://evil.example|click&gt;';
    const firing = alertSummary(hostile, 'firing', []);
    expect(firing.text).to.equal(`[FIRING] Jobs&lt;Stuck&gt; (critical, service worker, queue clustering): ${escaped}`);
    expect(firing.blocks![0]!.text.text).to.not.match(/<|>/);
    expect(escalationSummary(hostile, 60_000).blocks![0]!.text.text).to.include(escaped).and.not.match(/<|>/);
    expect(pauseLiftedSummary(hostile, 60_000, []).blocks![0]!.text.text)
      .to.include(escaped)
      .and.not.match(/<|>/);
  });
});
