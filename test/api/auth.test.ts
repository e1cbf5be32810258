import { expect } from 'chai';
import { syntheticCsv } from '../helpers/synthetic-csv.js';
import { apiSuite, bearer, problemOf, submitCsv } from './helpers.js';

describe('api: tokens', function () {
  this.timeout(30_000);
  const suite = apiSuite();
  const { env } = suite;

  const routes = [
    { method: 'POST', url: '/api/v1/jobs/clustering' },
    { method: 'POST', url: '/api/v1/jobs/team-formation' },
    { method: 'GET', url: '/api/v1/jobs' },
    { method: 'GET', url: '/api/v1/jobs/some-id' },
    { method: 'GET', url: '/api/v1/jobs/some-id/result' },
    { method: 'DELETE', url: '/api/v1/jobs/some-id' },
  ] as const;

  it('answers 401 with a challenge on every /api/v1 route without a valid token, and audits each refusal', async () => {
    const revoked = await env.token('acme', 'old');
    await env.store.revokeToken(revoked.id);
    const cases = [
      { headers: {}, challenge: 'Bearer realm="insights"', outcome: 'missing' },
      { headers: { authorization: 'Basic dXNlcjpwYXNz' }, challenge: 'Bearer realm="insights", error="invalid_token"', outcome: 'malformed' },
      { headers: bearer('oci_not-a-real-token'), challenge: 'Bearer realm="insights", error="invalid_token"', outcome: 'unknown' },
      { headers: bearer(revoked), challenge: 'Bearer realm="insights", error="invalid_token"', outcome: 'revoked' },
    ];
    for (const route of routes) {
      for (const c of cases) {
        const response = await suite.api.app.inject({
          ...route,
          headers: { ...c.headers, 'content-type': 'text/csv' },
          payload: route.method === 'POST' ? 'x' : undefined,
        });
        expect(response.statusCode, `${route.method} ${route.url} ${c.outcome}`).to.equal(401);
        expect(response.headers['www-authenticate']).to.equal(c.challenge);
        expect(problemOf(response).code).to.equal('UNAUTHORIZED');
      }
    }
    await suite.api.audit.flush();
    const refused = await env.store.readAudit({ action: 'token_refused' });
    expect(refused).to.have.length(routes.length * cases.length);
    expect(refused.filter((e) => e.outcome === 'revoked').every((e) => e.tokenId === revoked.id && e.organization === 'acme')).to.equal(true);
    expect(refused.filter((e) => e.outcome === 'unknown').every((e) => e.tokenId === null)).to.equal(true);
    expect(suite.api.auditLogs.lines.filter((l) => l.action === 'token_refused')).to.have.length(routes.length * cases.length);
  });

  it('refuses a revoked token on the very next request', async () => {
    const token = await env.token('acme');
    const accepted = (await submitCsv(suite.api.app, token, 'clustering', syntheticCsv(20, 1), { method: 'kmeans', clusters: '2' })).json();
    expect((await suite.api.app.inject({ url: accepted.links.self, headers: bearer(token) })).statusCode).to.equal(200);
    await env.store.revokeToken(token.id);
    const refused = await suite.api.app.inject({ url: accepted.links.self, headers: bearer(token) });
    expect(refused.statusCode).to.equal(401);
    const other = await env.token('acme', 'new');
    expect((await suite.api.app.inject({ url: accepted.links.self, headers: bearer(other) })).statusCode).to.equal(200);
  });

  it('serves health and the OpenAPI document without a token', async () => {
    for (const url of ['/api/health/live', '/api/health/ready', '/api/docs/openapi.json']) {
      expect((await suite.api.app.inject({ url })).statusCode, url).to.equal(200);
    }
  });
});
