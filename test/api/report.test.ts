import { expect } from 'chai';
import type { LightMyRequestResponse } from 'fastify';
import { REPORT_CONTENT_SECURITY_POLICY } from '@insights/report';
import type { CreatedToken } from '@insights/store';
import { parseXml, personMarks, svgsOf } from '../../packages/report/src/testing.ts';
import { syntheticCsv } from '../helpers/synthetic-csv.js';
import { ApiEnv, bearer, problemOf, submitCsv, type TestApi } from './helpers.js';

const FAST = { method: 'kmeans', clusters: '3', stability_runs: '0' };
const PEOPLE = 60;
const CSV = syntheticCsv(PEOPLE, 31);
const IDS = CSV.trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split(',')[0]!);

/** Marks on the report's wheel, from its SVG parsed as strict XML. */
function wheelMarks(html: string): number {
  const wheel = svgsOf(html).find((svg) => svg.includes('class="wheel"'));
  expect(wheel, 'a wheel').to.be.a('string');
  return personMarks(parseXml(wheel!)).length;
}

function expectHtml(response: LightMyRequestResponse): string {
  expect(response.statusCode, response.body.slice(0, 500)).to.equal(200);
  expect(response.headers['content-type']).to.equal('text/html; charset=utf-8');
  return response.body;
}

describe('api: GET /api/v1/jobs/:id/report', function () {
  this.timeout(90_000);
  const env = new ApiEnv();
  let api: TestApi;
  let acme: CreatedToken;
  let clustering: { id: string };
  let teams: { id: string; clustering_job_id: string };

  const report = (id: string, token: CreatedToken | null, query = '') =>
    api.app.inject({ url: `/api/v1/jobs/${id}/report${query}`, headers: token === null ? {} : bearer(token) });

  before(async () => {
    await env.setUp();
    api = await env.api();
    acme = await env.token('acme');
    clustering = (await submitCsv(api.app, acme, 'clustering', CSV, FAST)).json();
    const early = await report(clustering.id, acme);
    expect(early.statusCode).to.equal(409);
    expect(problemOf(early)).to.include({ code: 'RESULT_NOT_READY', detail: 'the job has no result: it is waiting' });
    teams = (await submitCsv(api.app, acme, 'team-formation', CSV, { ...FAST, team_size: '4-6' })).json();
    await env.worker();
    await env.fleet.client.waitForResult(clustering.id, 60_000);
    await env.fleet.client.waitForResult(teams.id, 60_000);
  });
  after(() => env.tearDown());

  it('answers a finished clustering as HTML with one wheel mark per person, under a strict content security policy', async () => {
    const response = await report(clustering.id, acme);
    const html = expectHtml(response);
    expect(wheelMarks(html)).to.equal(PEOPLE);
    expect(html.match(/<article class="card cluster"/g)).to.have.length(3);
    expect(html).not.to.include('<article class="card team');
    expect(html).to.include(`<title>${IDS[0]} · cluster `);
    // Nothing fetched, no script but the report's own, by its hash; never framed.
    expect(response.headers['content-security-policy']).to.equal(`${REPORT_CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`);
    expect(REPORT_CONTENT_SECURITY_POLICY).to.match(
      /^default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-[A-Za-z0-9+/]+=*'; base-uri 'none'; form-action 'none'$/,
    );
    expect(response.headers['cache-control']).to.equal('private, no-store');
    expect(response.headers['x-content-type-options']).to.equal('nosniff');
    await api.audit.flush();
    const actions = (await env.store.readAudit({ jobId: clustering.id })).map((e) => `${e.action}:${e.outcome}`);
    expect(actions).to.deep.equal(['submit:ok', 'read:RESULT_NOT_READY', 'read:ok']);
  });

  it('answers a team formation with its team cards first, or its clusters alone with view=clustering', async () => {
    const result = (await api.app.inject({ url: `/api/v1/jobs/${teams.id}/result`, headers: bearer(acme) })).json();
    const html = expectHtml(await report(teams.id, acme));
    expect(html.match(/<article class="card team/g)).to.have.length(result.teams.length);
    expect(wheelMarks(html)).to.equal(PEOPLE);
    const clusters = expectHtml(await report(teams.id, acme, '?view=clustering'));
    expect(clusters).not.to.include('<article class="card team');
    expect(clusters.match(/<article class="card cluster"/g)).to.have.length(3);
    expect(wheelMarks(clusters)).to.equal(PEOPLE);
    const wrong = await report(clustering.id, acme, '?view=teams');
    expect(wrong.statusCode).to.equal(400);
    expect(problemOf(wrong)).to.include({ code: 'INVALID_REQUEST', detail: 'view=teams: the job is a clustering and has no teams' });
  });

  it('replaces every employee id with a pseudonym on request, the same ones for the same salt', async () => {
    const hidden = expectHtml(await report(teams.id, acme, '?anonymise=true'));
    expect(wheelMarks(hidden)).to.equal(PEOPLE);
    expect(hidden).to.match(/Person [0-9A-F]{4}/);
    for (const id of IDS) expect(hidden, id).not.to.include(id);
    const salted = expectHtml(await report(teams.id, acme, '?salt=correct-horse'));
    for (const id of IDS) expect(salted, id).not.to.include(id);
    const again = expectHtml(await report(teams.id, acme, '?anonymise=1&salt=correct-horse'));
    const names = (html: string) => html.match(/Person [0-9A-F]{4,}/g);
    expect(names(again)).to.deep.equal(names(salted));
    expect(names(expectHtml(await report(teams.id, acme, '?anonymise=true&salt=battery-staple')))).not.to.deep.equal(names(salted));
    const bad = await report(teams.id, acme, '?anonymise=yes&salt=&colour=red');
    expect(bad.statusCode).to.equal(400);
    expect(problemOf(bad).errors).to.have.length(3);
  });

  it("answers another organisation's job exactly like an unknown one (404), and no token with 401", async () => {
    const globex = await env.token('globex');
    const theirs = await report(teams.id, globex);
    const unknown = await report('00000000-0000-4000-8000-000000000000', globex);
    expect(theirs.statusCode).to.equal(404);
    expect({ ...problemOf(theirs), request_id: '' }).to.deep.equal({ ...problemOf(unknown), request_id: '' });
    expect(theirs.body).not.to.include(IDS[0]!);
    const anonymous = await report(teams.id, null);
    expect(anonymous.statusCode).to.equal(401);
    expect(problemOf(anonymous).code).to.equal('UNAUTHORIZED');
    expect(anonymous.headers['www-authenticate']).to.equal('Bearer realm="insights"');
  });
});
