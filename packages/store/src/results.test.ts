import { expect } from 'chai';
import pg from 'pg';
import { deleteDataset, putDataset } from './datasets.js';
import { DatasetNotFoundError, StoreErrorCode } from './errors.js';
import { migrate } from './migrate.js';
import { deleteResult, getResult, saveResult, type NewJobResult } from './results.js';
import { dropSchema, randomSchema, rejection, testPool } from './test-helpers.js';

const ORG = 'acme';

describe('results', () => {
  let pool: pg.Pool;
  let datasetId: string;
  const schema = randomSchema();
  const options = { schema };
  const jobResults = `${pg.escapeIdentifier(schema)}.job_results`;

  /** A clustering result as a worker saves it, with arrays and nulls at every level. */
  function row(jobId: string, overrides: Partial<NewJobResult> = {}): NewJobResult {
    return {
      jobId,
      queue: 'clustering',
      organization: ORG,
      datasetId,
      kind: 'clustering',
      parameters: { method: 'hybrid', clusters: 2, seed: 42, parameters: { esn: { reservoirSize: 100 } } },
      result: {
        labels: [0, 1, 1],
        centroids: [
          [25, 25, 25, 25],
          [10.5, 20.25, 30.125, 39.125],
        ],
        fallback: false,
        note: null,
      },
      quality: { silhouette: 0.61803, calinskiHarabasz: 123.5, stability: null },
      attempts: 1,
      durationMs: 1234.5,
      ...overrides,
    };
  }

  async function rowsOf(jobId: string): Promise<number> {
    const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${jobResults} WHERE job_id = $1`, [jobId]);
    return rows[0]!.n;
  }

  before(async () => {
    pool = testPool(15);
    await migrate(pool, options);
    const content = { ids: ['a', 'b', 'c'], energies: Array<number>(12).fill(25), lines: [2, 3, 4], lineUnit: 'line' as const, metadata: {}, skipped: [] };
    datasetId = (await putDataset(pool, ORG, content, options)).id;
  });

  after(async () => {
    await dropSchema(pool, schema);
    await pool.end();
  });

  it('saves a result and reads it back as saved', async () => {
    const saved = row('job-1');
    expect(await saveResult(pool, saved, options)).to.deep.equal({ inserted: true });
    const read = await getResult(pool, 'job-1', undefined, options);
    expect(read).to.not.equal(null);
    const { createdAt, ...rest } = read!;
    expect(rest).to.deep.equal(saved);
    expect(createdAt).to.be.instanceOf(Date);
  });

  it('is idempotent: a second save of the same job keeps the first row and reports inserted false', async () => {
    const first = row('job-2');
    expect(await saveResult(pool, first, options)).to.deep.equal({ inserted: true });
    expect(await saveResult(pool, row('job-2', { attempts: 2, durationMs: 99 }), options)).to.deep.equal({ inserted: false });
    expect(await rowsOf('job-2')).to.equal(1);
    const read = await getResult(pool, 'job-2', ORG, options);
    expect(read!.attempts).to.equal(1);
    expect(read!.durationMs).to.equal(1234.5);
  });

  it('keeps one row when 10 workers save the same job at once', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => saveResult(pool, row('job-concurrent', { attempts: i + 1 }), options)));
    expect(results.filter((r) => r.inserted)).to.have.length(1);
    expect(await rowsOf('job-concurrent')).to.equal(1);
  });

  it('stores a missing data set and quality as null, and arrays anywhere in the JSON', async () => {
    const saved = row('job-teams', {
      kind: 'team-formation',
      queue: 'team-formation',
      datasetId: null,
      quality: undefined,
      result: { teams: [['a', 'b'], ['c']] },
    });
    await saveResult(pool, saved, options);
    const read = await getResult(pool, 'job-teams', ORG, options);
    expect(read).to.include({ kind: 'team-formation', datasetId: null, quality: null });
    expect(read!.result).to.deep.equal({ teams: [['a', 'b'], ['c']] });
    await saveResult(pool, row('job-array-params', { parameters: { keepApart: [['a', 'b']] } }), options);
    expect((await getResult(pool, 'job-array-params', ORG, options))!.parameters).to.deep.equal({ keepApart: [['a', 'b']] });
  });

  it("hides another organisation's result when an organisation is given", async () => {
    await saveResult(pool, row('job-3'), options);
    expect(await getResult(pool, 'job-3', 'globex', options)).to.equal(null);
    expect(await getResult(pool, 'job-3', ORG, options)).to.not.equal(null);
    expect(await deleteResult(pool, 'job-3', 'globex', options)).to.deep.equal({ deleted: false });
    expect(await rowsOf('job-3')).to.equal(1);
  });

  it('deletes a result', async () => {
    await saveResult(pool, row('job-4'), options);
    expect(await deleteResult(pool, 'job-4', ORG, options)).to.deep.equal({ deleted: true });
    expect(await getResult(pool, 'job-4', undefined, options)).to.equal(null);
    expect(await deleteResult(pool, 'job-4', undefined, options)).to.deep.equal({ deleted: false });
  });

  it('refuses a result for a data set that does not exist', async () => {
    const missing = 'f'.repeat(64);
    const error = await rejection(saveResult(pool, row('job-5', { datasetId: missing }), options));
    expect(error).to.be.instanceOf(DatasetNotFoundError).with.property('code', StoreErrorCode.DATASET_NOT_FOUND);
    expect((error as DatasetNotFoundError).datasetId).to.equal(missing);
    expect(await rowsOf('job-5')).to.equal(0);
  });

  it('deletes the results of a data set with the data set', async () => {
    const content = { ids: ['x'], energies: [10, 20, 30, 40], lines: [2], lineUnit: 'line' as const, metadata: {}, skipped: [] };
    const { id } = await putDataset(pool, ORG, content, options);
    await saveResult(pool, row('job-6', { datasetId: id }), options);
    await deleteDataset(pool, id, ORG, options);
    expect(await getResult(pool, 'job-6', ORG, options)).to.equal(null);
  });

  it('refuses a kind outside the contract', async () => {
    const error = await rejection(saveResult(pool, row('job-7', { kind: 'other' as 'clustering' }), options));
    expect((error as { code?: string }).code).to.equal('23514');
  });
});
