import { expect } from 'chai';
import { concernsClustering, planActions, queuesToPause } from './decisions.js';

const quiet = { pauseOn: [], notify: false };

describe('responder decisions', () => {
  it('snapshots HighErrorRate and JobsStuck of the clustering queue, or without a queue label', () => {
    expect(planActions({ alertname: 'HighErrorRate', queue: null, status: 'firing', seenFiring: true }, quiet)).to.deep.equal([{ action: 'snapshot' }]);
    expect(planActions({ alertname: 'JobsStuck', queue: 'clustering', status: 'firing', seenFiring: true }, quiet)).to.deep.equal([{ action: 'snapshot' }]);
    expect(planActions({ alertname: 'JobsStuck', queue: 'team-formation', status: 'firing', seenFiring: true }, quiet)).to.deep.equal([]);
    expect(planActions({ alertname: 'NoWorkers', queue: 'clustering', status: 'firing', seenFiring: true }, quiet)).to.deep.equal([]);
  });

  it('pauses only alerts named in the policy, the queue of the label or every queue', () => {
    const policy = { pauseOn: ['JobsStuck', 'HighErrorRate'], notify: true };
    expect(planActions({ alertname: 'JobsStuck', queue: 'team-formation', status: 'firing', seenFiring: true }, policy)).to.deep.equal([
      { action: 'pause', queue: 'team-formation' },
      { action: 'notify', kind: 'firing' },
    ]);
    expect(planActions({ alertname: 'HighErrorRate', queue: null, status: 'firing', seenFiring: true }, policy)).to.deep.equal([
      { action: 'snapshot' },
      { action: 'pause', queue: 'clustering' },
      { action: 'pause', queue: 'team-formation' },
      { action: 'notify', kind: 'firing' },
    ]);
    expect(planActions({ alertname: 'OldestJobTooOld', queue: 'clustering', status: 'firing', seenFiring: true }, policy)).to.deep.equal([
      { action: 'notify', kind: 'firing' },
    ]);
  });

  it('releases pauses on every resolved delivery, and summarises only an alert it saw firing', () => {
    const policy = { pauseOn: ['JobsStuck'], notify: true };
    const resolved = { alertname: 'JobsStuck', queue: 'clustering', status: 'resolved' as const, seenFiring: true };
    // Planned on every resolved delivery (a retry included): the notify action posts it once.
    expect(planActions(resolved, policy)).to.deep.equal([{ action: 'resume' }, { action: 'notify', kind: 'resolved' }]);
    expect(planActions({ ...resolved, seenFiring: false }, policy)).to.deep.equal([{ action: 'resume' }]);
    expect(planActions({ ...resolved, status: 'stale' }, policy)).to.deep.equal([]);
  });

  it('knows which queues a label names', () => {
    expect(queuesToPause(null)).to.deep.equal(['clustering', 'team-formation']);
    expect(queuesToPause('clustering')).to.deep.equal(['clustering']);
    expect(queuesToPause('elsewhere')).to.deep.equal([]);
    expect(concernsClustering(null)).to.equal(true);
    expect(concernsClustering('team-formation')).to.equal(false);
  });
});
