import { expect } from 'chai';
import pg from 'pg';
import { putDataset, type DatasetContent } from './datasets.js';
import { InvalidDurationError, StoreErrorCode } from './errors.js';
import { migrate } from './migrate.js';
import { parseDuration, pruneOlderThan } from './prune.js';
import { saveResult } from './results.js';
import { dropSchema, randomSchema, testPool } from './test-helpers.js';

const ORG = 'acme';
const DAY = 86_400_000;
const NOW = new Date('2030-06-01T00:00:00Z');

function content(id: string): DatasetContent {
  return { ids: [id], energies: [10, 20, 30, 40], lines: [2], lineUnit: 'line', metadata: {}, skipped: [] };
}

describe('pruneOlderThan', () => {
  let pool: pg.Pool;
  const schema = randomSchema();
  const options = { schema };
  const datasets = `${pg.escapeIdentifier(schema)}.datasets`;
  const jobResults = `${pg.escapeIdentifier(schema)}.job_results`;

  /** A data set last used `ageDays` before NOW. */
  async function dataset(name: string, ageDays: number): Promise<string> {
    const { id } = await putDataset(pool, ORG, content(name), options);
    await pool.query(`UPDATE ${datasets} SET created_at = $2, last_used_at = $2 WHERE id = $1`, [id, new Date(NOW.getTime() - ageDays * DAY)]);
    return id;
  }

  /** A result created `ageDays` before NOW. */
  async function result(jobId: string, datasetId: string | null, ageDays: number): Promise<void> {
    await saveResult(
      pool,
      { jobId, queue: 'clustering', organization: ORG, datasetId, kind: 'clustering', parameters: {}, result: {}, attempts: 1, durationMs: 1 },
      options,
    );
    await pool.query(`UPDATE ${jobResults} SET created_at = $2 WHERE job_id = $1`, [jobId, new Date(NOW.getTime() - ageDays * DAY)]);
  }

  async function remaining(): Promise<{ datasets: string[]; results: string[] }> {
    const d = await pool.query<{ id: string }>(`SELECT id FROM ${datasets} ORDER BY id`);
    const r = await pool.query<{ job_id: string }>(`SELECT job_id FROM ${jobResults} ORDER BY job_id`);
    return { datasets: d.rows.map((row) => row.id), results: r.rows.map((row) => row.job_id) };
  }

  before(async () => {
    pool = testPool(5);
    await migrate(pool, options);
  });

  beforeEach(async () => {
    await pool.query(`TRUNCATE ${jobResults}, ${datasets}`);
  });

  after(async () => {
    await dropSchema(pool, schema);
    await pool.end();
  });

  it('deletes old results and old unreferenced data sets, keeping referenced and recent ones', async () => {
    const oldReferencedByOld = await dataset('a', 400);
    const oldReferencedByNew = await dataset('b', 400);
    const oldUnreferenced = await dataset('c', 181);
    const newUnreferenced = await dataset('d', 179);
    const newReferencedByOld = await dataset('e', 10);
    await result('r-old', oldReferencedByOld, 200);
    await result('r-new', oldReferencedByNew, 1);
    await result('r-old-no-dataset', null, 365);
    await result('r-old-recent-dataset', newReferencedByOld, 181);
    await result('r-new-no-dataset', null, 179);

    expect(await pruneOlderThan(pool, 180 * DAY, { ...options, now: NOW })).to.deep.equal({
      results: 3,
      datasets: 2,
      jobIndex: 0,
      auditEntries: 0,
      incidents: 0,
    });
    expect(await remaining()).to.deep.equal({
      datasets: [oldReferencedByNew, newUnreferenced, newReferencedByOld].sort(),
      results: ['r-new', 'r-new-no-dataset'],
    });
    expect(oldUnreferenced).to.not.be.oneOf((await remaining()).datasets);

    expect(await pruneOlderThan(pool, 180 * DAY, { ...options, now: NOW })).to.deep.equal({
      results: 0,
      datasets: 0,
      jobIndex: 0,
      auditEntries: 0,
      incidents: 0,
    });
  });

  it('deletes old job index rows, audit entries and ended incidents; keeps firing ones and those holding a pause', async () => {
    const ago = (days: number) => new Date(NOW.getTime() - days * DAY);
    const q = (name: string) => `${pg.escapeIdentifier(schema)}.${name}`;
    for (const [jobId, days] of [
      ['old-job', 200],
      ['new-job', 10],
    ] as const) {
      await pool.query(
        `INSERT INTO ${q('api_jobs')} (job_id, organization, kind, queue, dataset_id, people, created_at) VALUES ($1, 'acme', 'clustering', 'clustering', 'x', 2, $2)`,
        [jobId, ago(days)],
      );
    }
    for (const days of [200, 190, 10]) {
      await pool.query(`INSERT INTO ${q('audit_log')} (at, organization, action, outcome) VALUES ($1, 'acme', 'read', 'ok')`, [ago(days)]);
    }
    const incident = async (fingerprint: string, status: string, days: number): Promise<string> => {
      const { rows } = await pool.query<{ id: string }>(
        `INSERT INTO ${q('incidents')} (fingerprint, starts_at, alertname, status, first_seen, last_seen) VALUES ($1, $2, 'JobsStuck', $3, $2, $2) RETURNING id`,
        [fingerprint, ago(days), status],
      );
      return rows[0]!.id;
    };
    await incident('ended-old', 'resolved', 200);
    await incident('stale-old', 'stale', 200);
    await incident('firing-old', 'firing', 200);
    await incident('ended-new', 'resolved', 10);
    const holding = await incident('stale-holding-a-pause', 'stale', 200);
    await pool.query(`INSERT INTO ${q('queue_pauses')} (queue, incident_id, paused_at) VALUES ('clustering', $1, $2)`, [holding, ago(200)]);

    expect(await pruneOlderThan(pool, 180 * DAY, { ...options, now: NOW })).to.deep.equal({
      results: 0,
      datasets: 0,
      jobIndex: 1,
      auditEntries: 2,
      incidents: 2,
    });
    const left = await pool.query<{ fingerprint: string }>(`SELECT fingerprint FROM ${q('incidents')} ORDER BY fingerprint`);
    expect(left.rows.map((r) => r.fingerprint)).to.deep.equal(['ended-new', 'firing-old', 'stale-holding-a-pause']);
  });

  it("measures from the database's clock by default, so rows just written are kept", async () => {
    const { id } = await putDataset(pool, ORG, content('fresh'), options);
    await saveResult(
      pool,
      { jobId: 'fresh', queue: 'clustering', organization: ORG, datasetId: id, kind: 'clustering', parameters: {}, result: {}, attempts: 1, durationMs: 1 },
      options,
    );
    expect(await pruneOlderThan(pool, 60 * 60 * 1000, options)).to.deep.include({ results: 0, datasets: 0 });
    await pool.query(`UPDATE ${jobResults} SET created_at = now() - interval '2 hours'`);
    await pool.query(`UPDATE ${datasets} SET last_used_at = now() - interval '2 hours'`);
    expect(await pruneOlderThan(pool, 60 * 60 * 1000, options)).to.deep.include({ results: 1, datasets: 1 });
  });

  it('refuses a negative, non-finite or over-long age', async () => {
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, 36_501 * DAY]) {
      let error: unknown;
      await pruneOlderThan(pool, bad, options).catch((e: unknown) => (error = e));
      expect(error, String(bad)).to.be.instanceOf(InvalidDurationError);
    }
  });
});

describe('parseDuration', () => {
  it('reads days, hours, minutes and seconds as milliseconds', () => {
    expect(parseDuration('180d')).to.equal(180 * DAY);
    expect(parseDuration('12h')).to.equal(12 * 3_600_000);
    expect(parseDuration('30m')).to.equal(30 * 60_000);
    expect(parseDuration('45s')).to.equal(45_000);
    expect(parseDuration('36500d')).to.equal(36_500 * DAY);
  });

  for (const bad of ['', '180', 'd', '1.5h', '-1d', '10w', '1e3s', '180 d', ' 180d', '180D', '1d2h', '180ms']) {
    it(`refuses ${JSON.stringify(bad)}, saying what it expects`, () => {
      expect(() => parseDuration(bad))
        .to.throw(InvalidDurationError)
        .with.property('message')
        .that.includes(JSON.stringify(bad))
        .and.includes('such as 180d');
    });
  }

  it('refuses zero and more than 100 years', () => {
    expect(() => parseDuration('0d')).to.throw(InvalidDurationError, /more than zero/);
    expect(() => parseDuration('36501d')).to.throw(InvalidDurationError, /at most 36500d/);
    expect(() => parseDuration('99999999999999999999s'))
      .to.throw(InvalidDurationError)
      .with.property('code', StoreErrorCode.INVALID_DURATION);
  });
});
