import { expect } from 'chai';
import { observedAlert, parseWebhook } from './webhook.js';

/** A notification as Alertmanager 0.25 sends it, firing alert with a zero endsAt. */
function notification(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    receiver: 'responder',
    status: 'firing',
    alerts: [
      {
        status: 'firing',
        labels: { alertname: 'JobsStuck', queue: 'clustering', reason: 'stalling', severity: 'critical', service: 'worker', instance: '10.0.0.7:9464' },
        annotations: {
          summary: 'Jobs of queue clustering are not making progress (stalling)',
          description: 'long text',
          runbook_url: 'https://example.com/JobsStuck.md',
        },
        startsAt: '2030-01-01T10:00:00.123456789Z',
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'http://prometheus:9090/graph?g0.expr=x',
        fingerprint: 'c0ffee0123456789',
      },
    ],
    groupLabels: { alertname: 'JobsStuck' },
    commonLabels: { alertname: 'JobsStuck' },
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    version: '4',
    groupKey: '{}:{alertname="JobsStuck"}',
    truncatedAlerts: 0,
    ...overrides,
  };
}

describe('webhook payload', () => {
  it('parses a version 4 notification and keeps only the labels the responder records', () => {
    const parsed = parseWebhook(notification());
    expect(parsed.ok).to.equal(true);
    if (!parsed.ok) return;
    const observed = observedAlert(parsed.webhook.alerts[0]!);
    expect(observed).to.deep.equal({
      fingerprint: 'c0ffee0123456789',
      startsAt: new Date('2030-01-01T10:00:00.123Z'),
      status: 'firing',
      alertname: 'JobsStuck',
      severity: 'critical',
      service: 'worker',
      queue: 'clustering',
      summary: 'Jobs of queue clustering are not making progress (stalling)',
      endsAt: null,
    });
  });

  it('keeps endsAt of a resolved alert, accepts an offset, and reads missing labels as null', () => {
    const parsed = parseWebhook(
      notification({
        status: 'resolved',
        alerts: [
          {
            status: 'resolved',
            labels: { alertname: 'HighErrorRate' },
            annotations: {},
            startsAt: '2030-01-01T12:00:00+02:00',
            endsAt: '2030-01-01T10:20:00Z',
            fingerprint: 'ab12',
          },
        ],
      }),
    );
    if (!parsed.ok) throw new Error(parsed.problems.join('; '));
    expect(observedAlert(parsed.webhook.alerts[0]!)).to.include({
      alertname: 'HighErrorRate',
      status: 'resolved',
      severity: null,
      service: null,
      queue: null,
      summary: null,
    });
    expect(observedAlert(parsed.webhook.alerts[0]!).startsAt.toISOString()).to.equal('2030-01-01T10:00:00.000Z');
    expect(observedAlert(parsed.webhook.alerts[0]!).endsAt?.toISOString()).to.equal('2030-01-01T10:20:00.000Z');
  });

  it('truncates a long summary', () => {
    const base = notification();
    const alert = { ...(base.alerts as Record<string, unknown>[])[0]!, annotations: { summary: 'x'.repeat(2000) } };
    const parsed = parseWebhook({ ...base, alerts: [alert] });
    if (!parsed.ok) throw new Error(parsed.problems.join('; '));
    expect(observedAlert(parsed.webhook.alerts[0]!).summary).to.have.length(500);
  });

  it('lists every problem of a bad body', () => {
    const parsed = parseWebhook(
      notification({
        version: '3',
        alerts: [{ status: 'pending', labels: { severity: 'critical' }, startsAt: 'yesterday', fingerprint: '' }],
      }),
    );
    expect(parsed.ok).to.equal(false);
    if (parsed.ok) return;
    const fields = parsed.problems.map((p) => p.split(':')[0]);
    expect(fields).to.have.members(['version', 'alerts.0.status', 'alerts.0.labels', 'alerts.0.startsAt', 'alerts.0.fingerprint']);
    expect(parseWebhook('not an object')).to.deep.equal({ ok: false, problems: ['(body): Invalid input: expected object, received string'] });
  });
});
