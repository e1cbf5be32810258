import { expect } from 'chai';
import { forgetJob, findIndexedJob, indexJob, listIndexedJobs, unindexJob, type NewIndexedJob } from './api-jobs.js';
import { getDataset, putDataset, type DatasetContent } from './datasets.js';
import { getResult, saveResult } from './results.js';
import { migratedSchema } from './test-helpers.js';

describe('API job index', () => {
  const db = migratedSchema(5);
  const { options } = db;

  function content(seed: number): DatasetContent {
    return { ids: ['a', 'b'], energies: [seed, 25, 25, 25, 10, 20, 30, 40], lines: [2, 3], lineUnit: 'line', metadata: {}, skipped: [] };
  }

  function job(jobId: string, datasetId: string, overrides: Partial<NewIndexedJob> = {}): NewIndexedJob {
    return { jobId, organization: 'acme', kind: 'clustering', queue: 'clustering', datasetId, people: 2, tokenId: 'tok_1', ...overrides };
  }

  async function result(jobId: string, datasetId: string, organization = 'acme'): Promise<void> {
    await saveResult(
      db.pool,
      { jobId, queue: 'clustering', organization, datasetId, kind: 'clustering', parameters: {}, result: { k: 2 }, attempts: 1, durationMs: 1 },
      options,
    );
  }

  it('indexes a job once, and finds it only for its organisation', async () => {
    const { id } = await putDataset(db.pool, 'acme', content(1), options);
    expect(await indexJob(db.pool, job('j1', id, { requestFingerprint: 'f1' }), options)).to.deep.equal({ inserted: true, requestFingerprint: 'f1' });
    expect(await indexJob(db.pool, job('j1', id, { people: 99, requestFingerprint: 'f2' }), options), 'the first request’s fingerprint').to.deep.equal({
      inserted: false,
      requestFingerprint: 'f1',
    });
    const found = await findIndexedJob(db.pool, 'j1', 'acme', options);
    expect(found).to.include({ jobId: 'j1', kind: 'clustering', datasetId: id, people: 2, tokenId: 'tok_1', hasResult: false, childJobId: null });
    expect(await findIndexedJob(db.pool, 'j1', 'globex', options)).to.equal(null);
    await result('j1', id);
    expect((await findIndexedJob(db.pool, 'j1', 'acme', options))!.hasResult).to.equal(true);
    await unindexJob(db.pool, 'j1', 'globex', options);
    expect(await findIndexedJob(db.pool, 'j1', 'acme', options)).to.not.equal(null);
  });

  it('lists newest first in pages, one organisation at a time', async () => {
    const { id } = await putDataset(db.pool, 'paged', content(2), options);
    for (let i = 0; i < 5; i++) await indexJob(db.pool, job(`p${i}`, id, { organization: 'paged' }), options);
    await indexJob(db.pool, job('other', id, { organization: 'elsewhere' }), options);
    const first = await listIndexedJobs(db.pool, 'paged', { limit: 2 }, options);
    expect(first.map((j) => j.jobId)).to.deep.equal(['p4', 'p3']);
    const second = await listIndexedJobs(db.pool, 'paged', { limit: 10, beforeSeq: first[1]!.seq }, options);
    expect(second.map((j) => j.jobId)).to.deep.equal(['p2', 'p1', 'p0']);
  });

  it('forgets a job: its results, its flow child, its index row and its data set', async () => {
    const { id } = await putDataset(db.pool, 'acme', content(3), options);
    await indexJob(db.pool, job('teams-1', id, { kind: 'team-formation', queue: 'team-formation', childJobId: 'child-1' }), options);
    await result('child-1', id);
    await result('teams-1', id);
    expect(await forgetJob(db.pool, 'teams-1', 'acme', options)).to.deep.equal({ results: 2, datasetDeleted: true, indexed: true });
    expect(await getResult(db.pool, 'child-1', 'acme', options)).to.equal(null);
    expect(await getDataset(db.pool, id, 'acme', options)).to.equal(null);
    expect(await findIndexedJob(db.pool, 'teams-1', 'acme', options)).to.equal(null);
    expect(await forgetJob(db.pool, 'teams-1', 'acme', options)).to.deep.equal({ results: 0, datasetDeleted: false, indexed: false });
  });

  it('keeps a data set that another job still refers to, and touches nothing of another organisation', async () => {
    const { id } = await putDataset(db.pool, 'acme', content(4), options);
    await indexJob(db.pool, job('shared-1', id), options);
    await indexJob(db.pool, job('shared-2', id), options);
    await result('shared-1', id);
    expect(await forgetJob(db.pool, 'shared-1', 'globex', options)).to.deep.equal({ results: 0, datasetDeleted: false, indexed: false });
    expect(await forgetJob(db.pool, 'shared-1', 'acme', options)).to.deep.equal({ results: 1, datasetDeleted: false, indexed: true });
    expect(await getDataset(db.pool, id, 'acme', options)).to.not.equal(null);
    expect(await forgetJob(db.pool, 'shared-2', 'acme', options)).to.deep.equal({ results: 0, datasetDeleted: true, indexed: true });
  });
});
