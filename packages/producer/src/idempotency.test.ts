import { expect } from 'chai';
import { idempotentJobIds } from './idempotency.js';

describe('producer idempotency', () => {
  it('derives the same UUID-shaped job ids from the same organisation and key, and others otherwise', () => {
    const a = idempotentJobIds('acme', 'key-1');
    expect(a).to.deep.equal(idempotentJobIds('acme', 'key-1'));
    expect(a.jobId).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a.childJobId).to.not.equal(a.jobId);
    expect(idempotentJobIds('globex', 'key-1').jobId).to.not.equal(a.jobId);
    expect(idempotentJobIds('acme', 'key-2').jobId).to.not.equal(a.jobId);
    // The separator keeps organisation and key apart: no shifting characters between them.
    expect(idempotentJobIds('acm', 'ekey-1').jobId).to.not.equal(a.jobId);
  });
});
