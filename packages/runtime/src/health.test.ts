import { expect } from 'chai';
import { timedCheck } from './health.js';

describe('timedCheck', () => {
  it('is healthy when the check answers in time, unhealthy when it fails or hangs', async () => {
    expect(await timedCheck('redis', 1_000, async () => 'PONG')).to.include({ status: 'healthy', message: 'redis answered' });
    expect(await timedCheck('database', 1_000, () => Promise.reject(new Error('connection refused')))).to.include({
      status: 'unhealthy',
      message: 'connection refused',
    });
    const hung = await timedCheck('redis', 20, () => new Promise(() => undefined));
    expect(hung).to.include({ status: 'unhealthy', message: 'redis did not answer within 20 ms' });
    expect(hung.duration_ms).to.be.at.least(15);
  });
});
