import { expect } from 'chai';
import { RefusalLimiter } from './refusal-limiter.js';

describe('RefusalLimiter', () => {
  it('limits an address past max refusals until its window ends, and aggregates what it suppressed', () => {
    let now = 1_000_000;
    const limiter = new RefusalLimiter(3, 60_000, () => now);
    expect([1, 2, 3].map(() => limiter.refuse('10.0.0.1'))).to.deep.equal([true, true, true]);
    expect(limiter.retryAfter('10.0.0.1')).to.equal(60);
    expect(limiter.retryAfter('10.0.0.2')).to.equal(0);
    for (let i = 0; i < 1000; i++) expect(limiter.refuse('10.0.0.1')).to.equal(false);
    now += 45_500;
    expect(limiter.retryAfter('10.0.0.1')).to.equal(15);
    expect(limiter.takeEnded()).to.deep.equal([]);
    now += 15_000;
    expect(limiter.retryAfter('10.0.0.1')).to.equal(0);
    expect(limiter.takeEnded()).to.deep.equal([{ address: '10.0.0.1', count: 1000 }]);
    expect(limiter.refuse('10.0.0.1')).to.equal(true);
  });

  it('tracks a bounded number of addresses, handing over the aggregates of those it forgets', () => {
    const limiter = new RefusalLimiter(1, 60_000, () => 0, 2);
    for (const address of ['a', 'a', 'b', 'c']) limiter.refuse(address);
    expect(limiter.takeEnded()).to.deep.equal([{ address: 'a', count: 1 }]);
    expect(limiter.retryAfter('a')).to.equal(0);
  });
});
