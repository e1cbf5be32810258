import { expect } from 'chai';
import { pino } from 'pino';
import { clusterSample, diskSpace, overall, timedCheck } from './health.js';

const silent = pino({ level: 'silent' });

describe('api health checks', () => {
  it('clusters the built-in sample into its four groups', async () => {
    const finding = await clusterSample();
    expect(finding.status).to.equal(undefined);
    expect(finding.details).to.include({ n: 16, k: 4 });
  });

  it('times a check out as unhealthy, and calls a slow one degraded', async () => {
    const never = await timedCheck('redis', 20, silent, () => new Promise(() => undefined));
    expect(never).to.include({ status: 'unhealthy', message: 'redis did not answer within 20 ms' });
    expect(never.duration_ms).to.be.at.least(19);
    const slow = await timedCheck('database', 40, silent, () => new Promise((resolve) => setTimeout(() => resolve({ message: 'ok' }), 25)));
    expect(slow.status).to.equal('degraded');
    const fast = await timedCheck('database', 1_000, silent, async () => ({ message: 'ok', details: { x: 1 } }));
    expect(fast).to.deep.include({ status: 'healthy', details: { timeout_ms: 1_000, x: 1 } });
  });

  it('hides a failed check’s error from the document', async () => {
    const failed = await timedCheck('database', 1_000, silent, () => Promise.reject(new Error('password authentication failed for user "admin"')));
    expect(failed).to.include({ status: 'unhealthy', message: 'database check failed' });
  });

  it('measures free disk space', async () => {
    const finding = await diskSpace(process.cwd());
    expect(finding.details!.total_bytes).to.be.greaterThan(0);
    expect(finding.details!.free_ratio).to.be.within(0, 1);
  });

  it('takes the worst status as the overall one', () => {
    const check = (status: 'healthy' | 'degraded' | 'unhealthy') => ({ status, message: '', duration_ms: 0, details: {} });
    expect(overall([check('healthy'), check('healthy')])).to.equal('healthy');
    expect(overall([check('healthy'), check('degraded')])).to.equal('degraded');
    expect(overall([check('degraded'), check('unhealthy')])).to.equal('unhealthy');
  });
});
