import { once } from 'node:events';
import { expect } from 'chai';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { REDIS_URL } from '../helpers/services.js';
import { syntheticCsv } from '../helpers/synthetic-csv.js';
import { apiSuite, bearer, problemOf, submitCsv } from './helpers.js';

const FAST = { method: 'kmeans', clusters: '3', stability_runs: '0' };

describe('api: jobs', function () {
  this.timeout(60_000);
  const suite = apiSuite();
  const { env } = suite;

  async function count(table: string): Promise<number> {
    const { rows } = await env.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${pg.escapeIdentifier(env.schema)}.${pg.escapeIdentifier(table)}`);
    return rows[0]!.n;
  }

  it('accepts a CSV clustering job (202), reports its state (200) and serves its result once finished', async () => {
    const token = await env.token('acme');
    const submitted = await submitCsv(suite.api.app, token, 'clustering', syntheticCsv(90, 3), FAST);
    expect(submitted.statusCode, submitted.body).to.equal(202);
    const accepted = submitted.json();
    expect(accepted).to.include({ kind: 'clustering', state: 'waiting', people: 90, skipped: 0 });
    expect(accepted.id).to.match(/^[0-9a-f-]{36}$/);
    expect(accepted.links).to.deep.equal({ self: `/api/v1/jobs/${accepted.id}`, result: `/api/v1/jobs/${accepted.id}/result` });
    expect(submitted.headers.location).to.equal(accepted.links.self);

    const waiting = await suite.api.app.inject({ url: accepted.links.self, headers: bearer(token) });
    expect(waiting.statusCode).to.equal(200);
    expect(waiting.json()).to.include({ id: accepted.id, state: 'waiting', attempts: 0, failed_reason: null, summary: null, people: 90 });
    const early = await suite.api.app.inject({ url: accepted.links.result, headers: bearer(token) });
    expect(early.statusCode).to.equal(409);
    expect(problemOf(early)).to.include({ code: 'RESULT_NOT_READY', detail: 'the job has no result: it is waiting' });

    await env.worker();
    await env.fleet.client.waitForResult(accepted.id, 30_000);
    const done = (await suite.api.app.inject({ url: accepted.links.self, headers: bearer(token) })).json();
    expect(done).to.include({ state: 'completed', attempts: 1, failure_code: null });
    expect(done.summary).to.include({ kind: 'clustering', method: 'kmeans', k: 3, n: 90 });
    const result = await suite.api.app.inject({ url: accepted.links.result, headers: bearer(token) });
    expect(result.statusCode).to.equal(200);
    const body = result.json();
    expect(body).to.include({ method: 'kmeans', k: 3, n: 90 });
    expect(body.assignments).to.have.length(90);
    expect(body).to.have.keys([
      'method',
      'k',
      'seed',
      'n',
      'assignments',
      'clusters',
      'quality',
      'auto_k',
      'fallback',
      'feature_components',
      'model',
      'skipped',
      'timings_ms',
    ]);
    expect(body).to.deep.equal(await env.fleet.client.getResult(accepted.id, 'acme'));
  });

  it('accepts a JSON team formation (a flow: clustering first) and serves teams', async () => {
    const token = await env.token('acme');
    const employees = syntheticCsv(40, 4)
      .trim()
      .split('\n')
      .slice(1)
      .map((line) => {
        const [id, r, b, g, y] = line.split(',');
        return {
          employee_id: id,
          red_energy: Number(r),
          blue_energy: Number(b),
          green_energy: Number(g),
          yellow_energy: Number(y),
          site: Number(r) > 30 ? 'north' : 'south',
        };
      });
    const response = await suite.api.app.inject({
      method: 'POST',
      url: '/api/v1/jobs/team-formation',
      headers: bearer(token),
      payload: { employees, method: 'kmeans', clusters: 3, stability_runs: 0, team_size: '4-6', spread_by: 'site' },
    });
    expect(response.statusCode, response.body).to.equal(202);
    const accepted = response.json();
    expect(accepted).to.include({ kind: 'team-formation', state: 'waiting-children', people: 40 });
    expect(accepted.clustering_job_id).to.be.a('string');
    await env.worker();
    await env.fleet.client.waitForResult(accepted.id, 30_000);
    const result = (await suite.api.app.inject({ url: accepted.links.result, headers: bearer(token) })).json();
    expect(result.teams.length).to.be.within(7, 10);
    expect(result.assignments).to.have.length(40);
    const job = (await suite.api.app.inject({ url: accepted.links.self, headers: bearer(token) })).json();
    expect(job).to.include({ state: 'completed', clustering_job_id: accepted.clustering_job_id });
  });

  it('reports a failed job with its failure code', async () => {
    const token = await env.token('acme');
    // A keep_apart pair naming nobody in the data is found only when the teams are formed.
    const employees = Array.from({ length: 12 }, (_, i) => ({
      employee_id: `e${i}`,
      red_energy: 10 + i,
      blue_energy: 20,
      green_energy: 30,
      yellow_energy: 40,
    }));
    const submitted = await suite.api.app.inject({
      method: 'POST',
      url: '/api/v1/jobs/team-formation',
      headers: { ...bearer(token), 'content-type': 'application/json' },
      payload: { employees, ...FAST, clusters: 2, teams: 2, keep_apart: [['nobody', 'e1']] },
    });
    expect(submitted.statusCode, submitted.body).to.equal(202);
    const accepted = submitted.json();
    await env.worker();
    await env.fleet.client.waitForResult(accepted.id, 30_000).catch(() => undefined);
    const job = (await suite.api.app.inject({ url: accepted.links.self, headers: bearer(token) })).json();
    expect(job).to.include({ state: 'failed', failure_code: 'INVALID_INPUT' });
    expect(job.failed_reason).to.match(/^INVALID_INPUT: /);
  });

  it('lists the organisation’s jobs newest first, in pages, filtered by state', async () => {
    const token = await env.token('lister');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await submitCsv(suite.api.app, token, 'clustering', syntheticCsv(20, 10 + i), FAST)).json().id);
    const first = await suite.api.app.inject({ url: '/api/v1/jobs?limit=2', headers: bearer(token) });
    expect(first.statusCode).to.equal(200);
    const page1 = first.json();
    expect(page1.items.map((j: { id: string }) => j.id)).to.deep.equal([ids[4], ids[3]]);
    expect(page1.items[0]).to.include({ kind: 'clustering', state: 'waiting', people: 20 });
    const page2 = (await suite.api.app.inject({ url: `/api/v1/jobs?limit=2&cursor=${page1.next_cursor}`, headers: bearer(token) })).json();
    expect(page2.items.map((j: { id: string }) => j.id)).to.deep.equal([ids[2], ids[1]]);
    const page3 = (await suite.api.app.inject({ url: `/api/v1/jobs?limit=2&cursor=${page2.next_cursor}`, headers: bearer(token) })).json();
    expect(page3).to.deep.include({ next_cursor: null });
    expect(page3.items.map((j: { id: string }) => j.id)).to.deep.equal([ids[0]]);

    await env.worker();
    await env.fleet.client.waitForResult(ids[0]!, 30_000);
    await env.fleet.client.waitForResult(ids[4]!, 30_000);
    const completed = (await suite.api.app.inject({ url: '/api/v1/jobs?state=completed&limit=10', headers: bearer(token) })).json();
    expect(completed.items.length).to.be.greaterThanOrEqual(2);
    expect(completed.items.every((j: { state: string }) => j.state === 'completed')).to.equal(true);
    const bad = await suite.api.app.inject({ url: '/api/v1/jobs?state=done&limit=0&colour=red', headers: bearer(token) });
    expect(bad.statusCode).to.equal(400);
    expect(problemOf(bad).errors).to.have.length(3);
  });

  it('cancels a waiting job (200), after which it is gone (404), with its data set', async () => {
    const token = await env.token('acme');
    const accepted = (await submitCsv(suite.api.app, token, 'clustering', syntheticCsv(25, 21), FAST)).json();
    const datasets = await count('datasets');
    const cancelled = await suite.api.app.inject({ method: 'DELETE', url: accepted.links.self, headers: bearer(token) });
    expect(cancelled.statusCode).to.equal(200);
    expect(cancelled.json()).to.deep.equal({ id: accepted.id, outcome: 'cancelled', dataset_deleted: true });
    expect(await count('datasets')).to.equal(datasets - 1);
    expect(await env.fleet.jobCount()).to.equal(0);
    const gone = await suite.api.app.inject({ url: accepted.links.self, headers: bearer(token) });
    expect(gone.statusCode).to.equal(404);
    expect(problemOf(gone).code).to.equal('NOT_FOUND');
    await suite.api.audit.flush();
    const actions = (await env.store.readAudit({ jobId: accepted.id })).map((e) => `${e.action}:${e.outcome}`);
    expect(actions).to.deep.equal(['submit:ok', 'cancel:ok', 'read:NOT_FOUND']);
  });

  it('refuses to delete a running job (409), then forgets it once finished: job, results, data set', async () => {
    const token = await env.token('acme');
    const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const blocker = new Worker('clustering', () => gate.then(() => ({ held: true })), { connection, prefix: env.prefix });
    try {
      const active = once(blocker, 'active');
      const accepted = (await submitCsv(suite.api.app, token, 'clustering', syntheticCsv(25, 22), FAST)).json();
      await active;
      const running = await suite.api.app.inject({ method: 'DELETE', url: accepted.links.self, headers: bearer(token) });
      expect(running.statusCode).to.equal(409);
      expect(problemOf(running).code).to.equal('NOT_CANCELLABLE');
      const completed = once(blocker, 'completed');
      release();
      await completed;
      const { rows } = await env.db.query<{ dataset_id: string }>(`SELECT dataset_id FROM ${pg.escapeIdentifier(env.schema)}.api_jobs WHERE job_id = $1`, [
        accepted.id,
      ]);
      const deleted = await suite.api.app.inject({ method: 'DELETE', url: accepted.links.self, headers: bearer(token) });
      expect(deleted.statusCode).to.equal(200);
      expect(deleted.json()).to.deep.equal({ id: accepted.id, outcome: 'deleted', dataset_deleted: true });
      expect(await env.store.getDataset(rows[0]!.dataset_id, 'acme')).to.equal(null);
      expect(await env.fleet.jobCount()).to.equal(0);
      expect((await suite.api.app.inject({ method: 'DELETE', url: accepted.links.self, headers: bearer(token) })).statusCode).to.equal(404);
    } finally {
      release();
      await blocker.close();
      await connection.quit();
    }
  });

  it('deletes a finished team formation with its clustering child’s result', async () => {
    const token = await env.token('acme');
    const accepted = (await submitCsv(suite.api.app, token, 'team-formation', syntheticCsv(30, 23), { ...FAST, teams: '3' })).json();
    await env.worker();
    await env.fleet.client.waitForResult(accepted.id, 30_000);
    expect(await env.fleet.resultRows(accepted.clustering_job_id)).to.equal(1);
    const deleted = await suite.api.app.inject({ method: 'DELETE', url: accepted.links.self, headers: bearer(token) });
    expect(deleted.json()).to.include({ outcome: 'deleted', dataset_deleted: true });
    expect(await env.fleet.resultRows(accepted.id)).to.equal(0);
    expect(await env.fleet.resultRows(accepted.clustering_job_id)).to.equal(0);
    expect(await env.fleet.jobCount()).to.equal(0);
  });
});
