import { expect } from 'chai';
import pg from 'pg';
import { deleteKeys } from '../helpers/redis-keys.js';
import { syntheticCsv } from '../helpers/synthetic-csv.js';
import { apiSuite, bearer, problemOf, submitCsv } from './helpers.js';

describe('api: Idempotency-Key', function () {
  this.timeout(60_000);
  const suite = apiSuite();
  const { env } = suite;

  /** Index rows of an organisation (the schema is shared by the tests of this file). */
  async function indexed(organization: string): Promise<number> {
    const { rows } = await env.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${pg.escapeIdentifier(env.schema)}.api_jobs WHERE organization = $1`, [
      organization,
    ]);
    return rows[0]!.n;
  }

  it('makes one clustering job of 20 concurrent identical submissions', async () => {
    const token = await env.token('concurrent-csv');
    const csv = syntheticCsv(60, 8);
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        submitCsv(suite.api.app, token, 'clustering', csv, { method: 'kmeans', clusters: '3' }, { 'idempotency-key': 'order-2024-0001' }),
      ),
    );
    expect(responses.map((r) => r.statusCode)).to.deep.equal(Array(20).fill(202));
    const ids = new Set(responses.map((r) => r.json().id));
    expect(ids.size).to.equal(1);
    expect(await env.fleet.jobCount()).to.equal(1);
    expect(await indexed('concurrent-csv')).to.equal(1);
    const { rows } = await env.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${pg.escapeIdentifier(env.schema)}.datasets WHERE organization = $1`, [
      'concurrent-csv',
    ]);
    expect(rows[0]!.n).to.equal(1);
  });

  it('makes one flow (team formation + its clustering) of 20 concurrent identical JSON submissions', async () => {
    const token = await env.token('concurrent-flow');
    const employees = Array.from({ length: 30 }, (_, i) => ({
      employee_id: `p${i}`,
      red_energy: 10 + (i % 7),
      blue_energy: 20,
      green_energy: 30 + (i % 3),
      yellow_energy: 40,
    }));
    const payload = { employees, method: 'kmeans', clusters: 2, teams: 3 };
    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        suite.api.app.inject({ method: 'POST', url: '/api/v1/jobs/team-formation', payload, headers: { ...bearer(token), 'idempotency-key': 'teams-run-7' } }),
      ),
    );
    expect(responses.map((r) => r.statusCode)).to.deep.equal(Array(20).fill(202));
    expect(new Set(responses.map((r) => r.json().id)).size).to.equal(1);
    expect(new Set(responses.map((r) => r.json().clustering_job_id)).size).to.equal(1);
    expect(await env.fleet.jobCount()).to.equal(2);
    expect(await indexed('concurrent-flow')).to.equal(1);
  });

  it('answers a later repetition with the same job, even once it has finished, without running it again', async () => {
    const token = await env.token('acme');
    const csv = syntheticCsv(40, 9);
    const headers = { 'idempotency-key': 'late-repeat' };
    const first = (await submitCsv(suite.api.app, token, 'clustering', csv, { method: 'kmeans', clusters: '2' }, headers)).json();
    await env.worker();
    await env.fleet.client.waitForResult(first.id, 30_000);
    const again = await submitCsv(suite.api.app, token, 'clustering', csv, { method: 'kmeans', clusters: '2' }, headers);
    expect(again.statusCode).to.equal(202);
    expect(again.json()).to.include({ id: first.id, state: 'completed' });
    expect(await env.fleet.jobCount()).to.equal(1);
    expect(await env.fleet.resultRows(first.id)).to.equal(1);
  });

  it('refuses the same key with another request (422), and a malformed key (400)', async () => {
    const token = await env.token('acme');
    const headers = { 'idempotency-key': 'reused' };
    expect((await submitCsv(suite.api.app, token, 'clustering', syntheticCsv(20, 1), {}, headers)).statusCode).to.equal(202);
    const otherBody = await submitCsv(suite.api.app, token, 'clustering', syntheticCsv(20, 2), {}, headers);
    expect(otherBody.statusCode).to.equal(422);
    expect(problemOf(otherBody).code).to.equal('IDEMPOTENCY_KEY_REUSED');
    const otherQuery = await submitCsv(suite.api.app, token, 'clustering', syntheticCsv(20, 1), { seed: '7' }, headers);
    expect(problemOf(otherQuery).code).to.equal('IDEMPOTENCY_KEY_REUSED');
    const bad = await submitCsv(suite.api.app, token, 'clustering', syntheticCsv(20, 1), {}, { 'idempotency-key': 'has space' });
    expect(bad.statusCode).to.equal(400);
    expect(problemOf(bad).code).to.equal('INVALID_REQUEST');
    expect(await env.fleet.jobCount()).to.equal(1);
  });

  it('does not spend a key on a refused request: the corrected request goes through with it', async () => {
    const token = await env.token('acme');
    const headers = { 'idempotency-key': 'fix-and-retry' };
    const refused = await submitCsv(suite.api.app, token, 'clustering', 'employee_id,red_energy\np1,5\n', {}, headers);
    expect(refused.statusCode).to.equal(422);
    const fixed = await submitCsv(suite.api.app, token, 'clustering', syntheticCsv(20, 1), {}, headers);
    expect(fixed.statusCode).to.equal(202);
  });

  it('does not spend a key on data refused for too few people (fewer rows than clusters)', async () => {
    const token = await env.token('acme');
    const headers = { 'idempotency-key': 'too-few' };
    const refused = await submitCsv(suite.api.app, token, 'clustering', syntheticCsv(3, 1), { clusters: '4' }, headers);
    expect(problemOf(refused).code).to.equal('INVALID_INPUT');
    expect((await submitCsv(suite.api.app, token, 'clustering', syntheticCsv(20, 1), { clusters: '4' }, headers)).statusCode).to.equal(202);
  });

  it('still refuses a reused key once Redis has forgotten it: the index keeps the request’s fingerprint', async () => {
    const token = await env.token('forgetful');
    const headers = { 'idempotency-key': 'remembered' };
    const first = await submitCsv(suite.api.app, token, 'clustering', syntheticCsv(20, 1), {}, headers);
    expect(first.statusCode).to.equal(202);
    expect(await deleteKeys(env.fleet.redis, `${env.prefix}:idempotency:*`)).to.be.greaterThan(0);
    const reused = await submitCsv(suite.api.app, token, 'clustering', syntheticCsv(30, 2), {}, headers);
    expect(problemOf(reused).code).to.equal('IDEMPOTENCY_KEY_REUSED');
    const repeated = await submitCsv(suite.api.app, token, 'clustering', syntheticCsv(20, 1), {}, headers);
    expect(repeated.statusCode).to.equal(202);
    expect(repeated.json().id).to.equal(first.json().id);
  });
});
