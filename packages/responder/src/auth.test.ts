import { expect } from 'chai';
import { bearerMatches } from './auth.js';

describe('responder bearer secret', () => {
  const secret = 'the-shared-secret-0123456789';
  it('accepts exactly the secret as a bearer token', () => {
    expect(bearerMatches(`Bearer ${secret}`, secret)).to.equal(true);
    expect(bearerMatches(`bearer ${secret}`, secret)).to.equal(true);
  });
  it('refuses anything else', () => {
    expect(bearerMatches(undefined, secret)).to.equal(false);
    expect(bearerMatches('', secret)).to.equal(false);
    expect(bearerMatches(secret, secret)).to.equal(false);
    expect(bearerMatches(`Basic ${secret}`, secret)).to.equal(false);
    expect(bearerMatches(`Bearer ${secret}x`, secret)).to.equal(false);
    expect(bearerMatches(`Bearer ${secret.slice(1)}`, secret)).to.equal(false);
    expect(bearerMatches('Bearer ', secret)).to.equal(false);
  });
});
