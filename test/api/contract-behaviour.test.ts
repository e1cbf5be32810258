import { expect } from 'chai';
import { buildApp } from '@insights/api';
import { createPool } from '@insights/store';
import { syntheticCsv } from '../helpers/synthetic-csv.js';
import { apiSuite, bearer, problemOf, submitCsv } from './helpers.js';

const FAST = { method: 'kmeans', clusters: '3', stability_runs: '0' };
const employees = Array.from({ length: 8 }, (_, i) => ({ employee_id: `e${i}`, red_energy: 10 + i, blue_energy: 20, green_energy: 30, yellow_energy: 40 }));

describe('api: what the document promises', function () {
  this.timeout(60_000);
  const suite = apiSuite();
  const { env } = suite;

  it('takes integers only as the schema says, refusing loose forms with 400 naming the field', async () => {
    const token = await env.token('strict');
    const json = (body: object) =>
      suite.api.app.inject({
        method: 'POST',
        url: '/api/v1/jobs/clustering',
        headers: { ...bearer(token), 'content-type': 'application/json' },
        payload: { employees, ...body },
      });
    for (const [body, field] of [
      [{ seed: true }, 'seed'],
      [{ n_init: '0x10' }, 'n_init'],
      [{ clusters: 3.5 }, 'clusters'],
      [{ seed: '' }, 'seed'],
    ] as const) {
      const response = await json(body);
      expect(response.statusCode, JSON.stringify(body)).to.equal(400);
      expect(problemOf(response).errors!.join(' '), JSON.stringify(body)).to.include(field);
    }
    for (const [query, field] of [
      [{ n_init: '0x10' }, 'n_init'],
      [{ seed: '' }, 'seed'],
      [{ clusters: '3.0' }, 'clusters'],
      [{ seed: '1e3' }, 'seed'],
      [{ skip_invalid: 'yes' }, 'skip_invalid'],
    ] as const) {
      const response = await submitCsv(suite.api.app, token, 'clustering', syntheticCsv(12, 1), { ...FAST, ...query });
      expect(response.statusCode, JSON.stringify(query)).to.equal(400);
      expect(problemOf(response).errors!.join(' '), JSON.stringify(query)).to.include(field);
    }
    expect((await json({ seed: 7, n_init: 2, clusters: 2, skip_invalid: true })).statusCode).to.equal(202);
    expect((await submitCsv(suite.api.app, token, 'clustering', syntheticCsv(12, 2), { ...FAST, seed: '7', skip_invalid: '1' })).statusCode).to.equal(202);
  });

  it('answers a failed job’s result and report 409 FAILED_JOB with its failure code, not RESULT_NOT_READY', async () => {
    const token = await env.token('failing');
    // A keep_apart pair naming nobody in the data is found only when the teams are formed.
    const submitted = await suite.api.app.inject({
      method: 'POST',
      url: '/api/v1/jobs/team-formation',
      headers: { ...bearer(token), 'content-type': 'application/json' },
      payload: { employees, method: 'kmeans', clusters: 2, stability_runs: 0, teams: 2, keep_apart: [['nobody', 'e1']] },
    });
    const accepted = submitted.json();
    const waiting = await suite.api.app.inject({ url: accepted.links.result, headers: bearer(token) });
    expect(problemOf(waiting).code).to.equal('RESULT_NOT_READY');
    await env.worker();
    await env.fleet.client.waitForResult(accepted.id, 30_000).catch(() => undefined);
    for (const url of [accepted.links.result, `${accepted.links.self}/report`]) {
      const response = await suite.api.app.inject({ url, headers: bearer(token) });
      expect(response.statusCode).to.equal(409);
      expect(problemOf(response)).to.include({ code: 'FAILED_JOB' });
      expect(problemOf(response).errors).to.deep.equal(['INVALID_INPUT']);
    }
  });

  it('refuses at the door what would fail after a 202: team sizes that cannot fit, spread_by naming no column, a clustering_job_id that is none of this organisation’s or ran on other people', async () => {
    const token = await env.token('door');
    const other = await env.token('door-other');
    const teams = (who: typeof token, body: object) =>
      suite.api.app.inject({
        method: 'POST',
        url: '/api/v1/jobs/team-formation',
        headers: { ...bearer(who), 'content-type': 'application/json' },
        payload: { employees, method: 'kmeans', clusters: 2, stability_runs: 0, ...body },
      });
    const clustering = (
      await suite.api.app.inject({
        method: 'POST',
        url: '/api/v1/jobs/clustering',
        headers: { ...bearer(token), 'content-type': 'application/json' },
        payload: { employees, method: 'kmeans', clusters: 2, stability_runs: 0 },
      })
    ).json();
    const notFinished = await teams(token, { teams: 2, clustering_job_id: clustering.id });
    await env.worker();
    await env.fleet.client.waitForResult(clustering.id, 30_000);
    const refusals = [
      [await teams(token, { teams: 9 }), 'INVALID_INPUT', 'cannot form 9 teams from 8 people'],
      [await teams(token, { team_size: [5, 6] }), 'INVALID_INPUT', 'team'],
      [await teams(token, { teams: 2, spread_by: 'department' }), 'INVALID_INPUT', 'spread_by: no such column'],
      [await teams(token, { teams: 2, clustering_job_id: 'no-such-job' }), 'INVALID_OPTIONS', 'clustering_job_id'],
      [notFinished, 'INVALID_OPTIONS', 'clustering_job_id'],
      [await teams(other, { teams: 2, clustering_job_id: clustering.id }), 'INVALID_OPTIONS', 'clustering_job_id'],
      [await teams(token, { employees: employees.slice(1), teams: 2, clustering_job_id: clustering.id }), 'INVALID_OPTIONS', 'other people'],
    ] as const;
    for (const [response, code, said] of refusals) {
      expect(response.statusCode, response.body).to.equal(422);
      const problem = problemOf(response);
      expect(problem.code, response.body).to.equal(code);
      expect(problem.errors!.join(' '), response.body).to.include(said);
    }
    expect((await teams(token, { teams: 2, clustering_job_id: clustering.id })).statusCode).to.equal(202);
  });

  it('marks every /api/v1 answer private, no-store, and serves a finished result with an ETag that If-None-Match revalidates', async () => {
    const token = await env.token('cache');
    const accepted = (await submitCsv(suite.api.app, token, 'clustering', syntheticCsv(12, 4), FAST)).json();
    await env.worker();
    await env.fleet.client.waitForResult(accepted.id, 30_000);
    const get = (url: string, headers: Record<string, string> = {}) => suite.api.app.inject({ url, headers: { ...bearer(token), ...headers } });
    for (const url of ['/api/v1/jobs', accepted.links.self, accepted.links.result, '/api/v1/jobs/no-such-job']) {
      expect((await get(url)).headers['cache-control'], url).to.equal('private, no-store');
    }
    const result = await get(accepted.links.result);
    const etag = String(result.headers.etag);
    expect(etag).to.match(/^"[A-Za-z0-9_-]{43}"$/);
    expect((await get(accepted.links.result)).headers.etag).to.equal(etag);
    for (const given of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const revalidated = await get(accepted.links.result, { 'if-none-match': given });
      expect(revalidated.statusCode, given).to.equal(304);
      expect(revalidated.body).to.equal('');
      expect(revalidated.headers.etag).to.equal(etag);
    }
    expect((await get(accepted.links.result, { 'if-none-match': '"other"' })).statusCode).to.equal(200);
  });

  it('answers a documented path asked with another method 405 with Allow, an unknown path 404', async () => {
    for (const [method, url, allow] of [
      ['POST', '/api/v1/jobs/some-id', 'GET, DELETE, HEAD'],
      ['PUT', '/api/v1/jobs/some-id/result', 'GET, HEAD'],
      ['DELETE', '/api/v1/jobs', 'GET, HEAD'],
      ['POST', '/api/health', 'GET, HEAD'],
    ] as const) {
      const response = await suite.api.app.inject({ method, url });
      expect(response.statusCode, `${method} ${url}`).to.equal(405);
      expect(response.headers.allow).to.equal(allow);
      expect(problemOf(response).code).to.equal('METHOD_NOT_ALLOWED');
    }
    expect(problemOf(await suite.api.app.inject({ method: 'POST', url: '/api/v1/nothing' })).code).to.equal('NOT_FOUND');
  });

  it('answers 503 with Retry-After, and no CORS header anywhere', async () => {
    const down = createPool('postgres://postgres@127.0.0.1:1/test', { max: 1, connectionTimeoutMillis: 1_000 });
    const app = buildApp({ ...suite.api.deps, db: down });
    try {
      const response = await app.inject({ url: '/api/v1/jobs', headers: { ...bearer('oci_whatever'), origin: 'https://elsewhere.example' } });
      expect(response.statusCode).to.equal(503);
      expect(response.headers['retry-after']).to.equal('5');
      expect(Object.keys(response.headers).filter((name) => name.startsWith('access-control-'))).to.deep.equal([]);
    } finally {
      await app.close();
      await down.end();
    }
  });
});
