import { expect } from 'chai';
import { syntheticCsv } from '../helpers/synthetic-csv.js';
import { apiSuite, bearer, problemOf, submitCsv } from './helpers.js';

describe('api: validation and limits', function () {
  this.timeout(30_000);
  const suite = apiSuite({ INSIGHTS_MAX_EMPLOYEES: '50', INSIGHTS_MAX_BODY_MB: '0.01' });
  const { env } = suite;

  it('refuses a body over INSIGHTS_MAX_BODY_MB with 413 PAYLOAD_TOO_LARGE', async () => {
    const token = await env.token('acme');
    const csv = syntheticCsv(400, 1);
    expect(csv.length).to.be.greaterThan(0.01 * 1024 * 1024);
    const response = await submitCsv(suite.api.app, token, 'clustering', csv);
    expect(response.statusCode).to.equal(413);
    expect(problemOf(response)).to.include({ code: 'PAYLOAD_TOO_LARGE', detail: 'the body is larger than the 0.01 MB allowed (INSIGHTS_MAX_BODY_MB)' });
    expect(await env.fleet.jobCount()).to.equal(0);
  });

  it('refuses more people than INSIGHTS_MAX_EMPLOYEES with 413 TOO_MANY_EMPLOYEES and both numbers, as CSV and as JSON', async () => {
    const token = await env.token('acme');
    const csv = await submitCsv(suite.api.app, token, 'clustering', syntheticCsv(51, 2));
    expect(csv.statusCode).to.equal(413);
    expect(problemOf(csv)).to.include({
      code: 'TOO_MANY_EMPLOYEES',
      detail: 'more than 50 people submitted, but a job may hold at most 50 (INSIGHTS_MAX_EMPLOYEES)',
    });
    const employees = Array.from({ length: 60 }, (_, i) => ({ employee_id: `e${i}`, red_energy: 1, blue_energy: 2, green_energy: 3, yellow_energy: 4 }));
    const json = await suite.api.app.inject({ method: 'POST', url: '/api/v1/jobs/clustering', headers: bearer(token), payload: employees });
    expect(json.statusCode).to.equal(413);
    expect(problemOf(json).detail).to.include('60 people submitted').and.include('at most 50');
    expect((await submitCsv(suite.api.app, token, 'clustering', syntheticCsv(50, 2))).statusCode).to.equal(202);
  });

  it('lists every problem of the data as `line N, column NAME: reason` (422 INVALID_INPUT)', async () => {
    const token = await env.token('acme');
    const csv = [
      'employee_id,red_energy,blue_energy,green_energy,yellow_energy',
      'a,10,20,30,40',
      'b,ten,20,30,40',
      'c,10,-5,30,40',
      'a,1,2,3,4',
      'd,0,0,0,0',
    ].join('\n');
    const response = await submitCsv(suite.api.app, token, 'clustering', csv, { clusters: '2' });
    expect(response.statusCode).to.equal(422);
    const problem = problemOf(response);
    expect(problem.code).to.equal('INVALID_INPUT');
    expect(problem.errors).to.have.length(4);
    for (const line of problem.errors!) expect(line).to.match(/^line \d+(, column [a-z_]+)?: .+/);
    expect(problem.errors!.join('\n')).to.include('line 3, column red_energy').and.include('line 4, column blue_energy');
    const json = await suite.api.app.inject({
      method: 'POST',
      url: '/api/v1/jobs/clustering',
      headers: bearer(token),
      payload: { employees: [{ employee_id: 'x', red_energy: 'lots' }] },
    });
    expect(problemOf(json).errors!.some((e) => /^item 1, column red_energy: /.test(e))).to.equal(true);
  });

  it('reports every malformed parameter at once (400) and options out of range (422 INVALID_OPTIONS)', async () => {
    const token = await env.token('acme');
    const malformed = await submitCsv(suite.api.app, token, 'team-formation', syntheticCsv(20, 3), {
      method: 'magic',
      clusters: 'many',
      team_size: '4to6',
      colour: 'red',
    });
    expect(malformed.statusCode).to.equal(400);
    const problem = problemOf(malformed);
    expect(problem.code).to.equal('INVALID_REQUEST');
    expect(problem.errors).to.have.length(4);
    expect(problem.errors!.join('\n'))
      .to.include('query.method')
      .and.include('query.clusters')
      .and.include('query.team_size')
      .and.include('unknown parameter colour');
    const options = await submitCsv(suite.api.app, token, 'team-formation', syntheticCsv(20, 3), { team_size: '6-4' });
    expect(options.statusCode).to.equal(422);
    expect(problemOf(options)).to.deep.include({ code: 'INVALID_OPTIONS', errors: ['teamSize: smallest size 6 is above largest 4'] });
  });

  it('refuses other media types (415), bad JSON (400) and unknown routes (404), all as problem+json', async () => {
    const token = await env.token('acme');
    const xml = await suite.api.app.inject({
      method: 'POST',
      url: '/api/v1/jobs/clustering',
      headers: { ...bearer(token), 'content-type': 'application/xml' },
      payload: '<x/>',
    });
    expect(xml.statusCode).to.equal(415);
    expect(problemOf(xml).code).to.equal('UNSUPPORTED_MEDIA_TYPE');
    const broken = await suite.api.app.inject({
      method: 'POST',
      url: '/api/v1/jobs/clustering',
      headers: { ...bearer(token), 'content-type': 'application/json' },
      payload: '{"employees": [',
    });
    expect(broken.statusCode).to.equal(400);
    expect(problemOf(broken)).to.include({ code: 'INVALID_REQUEST', detail: 'the body is not valid JSON' });
    const nowhere = await suite.api.app.inject({ url: '/api/v2/anything?x=1', headers: bearer(token) });
    expect(nowhere.statusCode).to.equal(404);
    expect(problemOf(nowhere)).to.include({ code: 'NOT_FOUND', detail: 'no route GET /api/v2/anything' });
  });

  it('treats a malformed job id as no job (404) and keeps the audit log writing', async () => {
    const token = await env.token('acme');
    for (const id of ['%00', 'a%00b', 'semi;colon', 'sp%20ace']) {
      const response = await suite.api.app.inject({ url: `/api/v1/jobs/${id}`, headers: bearer(token) });
      expect(response.statusCode, id).to.equal(404);
      expect(problemOf(response).code).to.equal('NOT_FOUND');
    }
    const listed = await suite.api.app.inject({ url: '/api/v1/jobs', headers: bearer(token) });
    expect(listed.statusCode).to.equal(200);
    await suite.api.audit.flush();
    expect(await env.store.readAudit({ action: 'list' }), 'the entry after the malformed ids is stored').to.have.length(1);
  });

  it('answers 429 RATE_LIMITED with Retry-After once an organisation exceeds its rate', async () => {
    const limited = await env.api({ INSIGHTS_RATE_LIMIT_PER_MINUTE: '3' });
    const token = await env.token('acme');
    for (let i = 0; i < 3; i++) expect((await limited.app.inject({ url: '/api/v1/jobs', headers: bearer(token) })).statusCode).to.equal(200);
    const refused = await limited.app.inject({ url: '/api/v1/jobs', headers: bearer(token) });
    expect(refused.statusCode).to.equal(429);
    expect(problemOf(refused).code).to.equal('RATE_LIMITED');
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).to.be.within(1, 60);
    // The count lives in Redis: a second replica of the API sees the same count.
    const replica = await env.api({ INSIGHTS_RATE_LIMIT_PER_MINUTE: '3' });
    expect((await replica.app.inject({ url: '/api/v1/jobs', headers: bearer(token) })).statusCode).to.equal(429);
  });

  it('answers 503 UNAVAILABLE, without internals, when PostgreSQL cannot be reached', async () => {
    const { createPool } = await import('@insights/store');
    const { buildApp } = await import('@insights/api');
    const down = createPool('postgres://postgres@127.0.0.1:1/test', { max: 1, connectionTimeoutMillis: 2_000 });
    const app = buildApp({ ...suite.api.deps, db: down });
    try {
      const response = await app.inject({ url: '/api/v1/jobs', headers: bearer('oci_whatever') });
      expect(response.statusCode).to.equal(503);
      const problem = problemOf(response);
      expect(problem).to.include({ code: 'UNAVAILABLE', detail: 'Redis or PostgreSQL cannot be reached; try again later' });
      expect(response.body).to.not.include('ECONNREFUSED').and.not.include('127.0.0.1');
      const logged = suite.api.logs.lines.find((l) => l.msg === 'request failed' && l.request_id === problem.request_id);
      expect(logged, 'the error is logged with the request id').to.not.equal(undefined);
    } finally {
      await app.close();
      await down.end();
    }
  });
});
