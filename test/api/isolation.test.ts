import { expect } from 'chai';
import { syntheticCsv } from '../helpers/synthetic-csv.js';
import { apiSuite, bearer, problemOf, submitCsv } from './helpers.js';

describe('api: organisations are isolated', function () {
  this.timeout(60_000);
  const suite = apiSuite();
  const { env } = suite;

  it("answers another organisation's job exactly like a job that does not exist, on every route", async () => {
    const acme = await env.token('acme');
    const globex = await env.token('globex');
    const query = { method: 'kmeans', clusters: '2', stability_runs: '0' };
    const mine = (await submitCsv(suite.api.app, acme, 'clustering', syntheticCsv(20, 1), query)).json();
    const finished = (await submitCsv(suite.api.app, acme, 'clustering', syntheticCsv(20, 2), query)).json();
    await env.worker();
    await env.fleet.client.waitForResult(finished.id, 30_000);
    // `mine` may have finished too by now: what matters is that globex cannot tell.
    for (const id of [mine.id, finished.id]) {
      for (const [method, suffix] of [
        ['GET', ''],
        ['GET', '/result'],
        ['DELETE', ''],
      ] as const) {
        const theirs = await suite.api.app.inject({ method, url: `/api/v1/jobs/${id}${suffix}`, headers: bearer(globex) });
        const unknown = await suite.api.app.inject({ method, url: `/api/v1/jobs/00000000-0000-4000-8000-000000000000${suffix}`, headers: bearer(globex) });
        expect(theirs.statusCode, `${method} ${suffix}`).to.equal(404);
        const a = problemOf(theirs);
        const b = problemOf(unknown);
        expect({ ...a, request_id: '' }).to.deep.equal({ ...b, request_id: '' });
      }
    }
    // Nothing was deleted by globex's attempts.
    expect((await suite.api.app.inject({ url: `/api/v1/jobs/${finished.id}/result`, headers: bearer(acme) })).statusCode).to.equal(200);
    expect((await suite.api.app.inject({ url: `/api/v1/jobs/${mine.id}`, headers: bearer(acme) })).statusCode).to.equal(200);
  });

  it("lists only the organisation's own jobs", async () => {
    const acme = await env.token('acme-listing');
    const globex = await env.token('globex-listing');
    const a = (await submitCsv(suite.api.app, acme, 'clustering', syntheticCsv(20, 3))).json();
    const g = (await submitCsv(suite.api.app, globex, 'team-formation', syntheticCsv(20, 3), { teams: '2' })).json();
    const acmeList = (await suite.api.app.inject({ url: '/api/v1/jobs', headers: bearer(acme) })).json();
    const globexList = (await suite.api.app.inject({ url: '/api/v1/jobs', headers: bearer(globex) })).json();
    expect(acmeList.items.map((j: { id: string }) => j.id)).to.deep.equal([a.id]);
    expect(globexList.items.map((j: { id: string }) => j.id)).to.deep.equal([g.id]);
  });

  it('keeps Idempotency-Keys apart: the same key in two organisations makes two jobs', async () => {
    const acme = await env.token('acme');
    const globex = await env.token('globex');
    const csv = syntheticCsv(20, 4);
    const headers = { 'idempotency-key': 'shared-key-1' };
    const a = (await submitCsv(suite.api.app, acme, 'clustering', csv, {}, headers)).json();
    const g = await submitCsv(suite.api.app, globex, 'clustering', csv, {}, headers);
    expect(g.statusCode).to.equal(202);
    expect(g.json().id).to.not.equal(a.id);
    expect(await env.fleet.jobCount()).to.equal(2);
  });

  it('counts the rate limit per organisation', async () => {
    const limited = await env.api({ INSIGHTS_RATE_LIMIT_PER_MINUTE: '2' });
    const acme = await env.token('acme');
    const globex = await env.token('globex');
    for (let i = 0; i < 2; i++) expect((await limited.app.inject({ url: '/api/v1/jobs', headers: bearer(acme) })).statusCode).to.equal(200);
    expect((await limited.app.inject({ url: '/api/v1/jobs', headers: bearer(acme) })).statusCode).to.equal(429);
    expect((await limited.app.inject({ url: '/api/v1/jobs', headers: bearer(globex) })).statusCode).to.equal(200);
  });
});
