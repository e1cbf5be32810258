import { expect } from 'chai';
import { Store } from '@insights/store';
import { apiSuite, bearer, problemOf } from './helpers.js';

describe('api: a flood of bad tokens from one address', function () {
  this.timeout(30_000);
  const suite = apiSuite({ INSIGHTS_AUTH_REFUSALS_PER_MINUTE: '5' });
  const { env } = suite;

  it('is answered 429 with Retry-After past the limit and audited only up to it, while a valid token from the same address goes through', async () => {
    const valid = await env.token('acme');
    const statuses: number[] = [];
    for (let i = 0; i < 200; i++) {
      const garbage = i % 2 === 0 ? bearer(`oci_garbage-${i}`) : { authorization: `Basic ${i}` };
      const response = await suite.api.app.inject({ url: '/api/v1/jobs', headers: garbage });
      statuses.push(response.statusCode);
      if (response.statusCode === 429) {
        expect(Number(response.headers['retry-after'])).to.be.within(1, 60);
        expect(problemOf(response).code).to.equal('RATE_LIMITED');
      }
      if (i % 50 === 49) expect((await suite.api.app.inject({ url: '/api/v1/jobs', headers: bearer(valid) })).statusCode).to.equal(200);
    }
    expect(statuses.slice(0, 5)).to.deep.equal([401, 401, 401, 401, 401]);
    expect(statuses.slice(5).every((s) => s === 429)).to.equal(true);
    await suite.api.audit.flush();
    expect(await new Store(env.db, env.schema).readAudit({ action: 'token_refused' })).to.have.length(5);
  });
});
