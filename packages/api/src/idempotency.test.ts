import { expect } from 'chai';
import { ApiError } from './errors.js';
import { idempotencyKeyOf, requestFingerprint } from './idempotency.js';

describe('api idempotency', () => {
  it('fingerprints the kind, the query (in any order) and the body', () => {
    const base = requestFingerprint('clustering', { a: '1', b: '2' }, 'text/csv', 'x');
    expect(requestFingerprint('clustering', { b: '2', a: '1' }, 'text/csv', 'x')).to.equal(base);
    expect(requestFingerprint('team-formation', { a: '1', b: '2' }, 'text/csv', 'x')).to.not.equal(base);
    expect(requestFingerprint('clustering', { a: '1', b: '3' }, 'text/csv', 'x')).to.not.equal(base);
    expect(requestFingerprint('clustering', { a: '1', b: '2' }, 'text/csv', 'y')).to.not.equal(base);
  });

  it('accepts 1–255 visible ASCII characters, given once', () => {
    expect(idempotencyKeyOf(undefined)).to.equal(undefined);
    expect(idempotencyKeyOf('3f2a-ORDER_7')).to.equal('3f2a-ORDER_7');
    for (const bad of ['', 'with space', 'é', 'x'.repeat(256), ['a', 'b']]) {
      expect(() => idempotencyKeyOf(bad))
        .to.throw(ApiError)
        .with.property('code', 'INVALID_REQUEST');
    }
  });
});
