import { expect } from 'chai';
import pg from 'pg';
import { QUEUES } from '@insights/jobs';
import { IdempotencyKeyReusedError } from '@insights/producer';
import { FleetEnv } from '../helpers/fleet.js';
import { syntheticCsv } from '../helpers/synthetic-csv.js';

describe('InsightsClient.submit (real Redis and PostgreSQL)', function () {
  this.timeout(30_000);
  const fleet = new FleetEnv();
  const csv = syntheticCsv(30, 4);
  const request = (key: string, fingerprint = 'request-a') =>
    ({ kind: 'clustering', organization: 'acme', data: { text: csv }, options: { method: 'kmeans', clusters: 3 }, idempotency: { key, fingerprint } }) as const;

  before(() => fleet.setUp());
  afterEach(async () => {
    await fleet.db.query(`DELETE FROM ${pg.escapeIdentifier(fleet.schema)}.api_jobs`);
    await fleet.reset();
  });
  after(() => fleet.tearDown());

  async function indexRows(jobId?: string): Promise<number> {
    const where = jobId === undefined ? '' : ' WHERE job_id = $1';
    const { rows } = await fleet.db.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${pg.escapeIdentifier(fleet.schema)}.api_jobs${where}`,
      jobId === undefined ? [] : [jobId],
    );
    return Number(rows[0]!.n);
  }

  async function idempotencyKeys(): Promise<string[]> {
    const [, keys] = await fleet.redis.scan('0', 'MATCH', `${fleet.prefix}:idempotency:*`, 'COUNT', 1000);
    return keys;
  }

  /** Makes Redis refuse every enqueue on the clustering queue: BullMQ's add script reads the queue's meta hash first. */
  async function breakEnqueue(): Promise<void> {
    await fleet.redis.set(`${fleet.prefix}:${QUEUES.clustering}:meta`, 'not a hash');
  }

  it('indexes, claims and enqueues once however often an idempotent submission is repeated', async () => {
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => fleet.client.submit(request('order-1'))));
    const ids = new Set(results.map((r) => r.id));
    expect(ids.size).to.equal(1);
    expect(await indexRows()).to.equal(1);
    expect(await fleet.jobCount()).to.equal(1);
    expect(results[0]).to.include({ kind: 'clustering', queue: QUEUES.clustering, people: 30, state: 'waiting' });
    expect(await idempotencyKeys()).to.have.length(1);
  });

  it('refuses the key with another request, and keeps the first request answering', async () => {
    const first = await fleet.client.submit(request('order-2'));
    let refused: unknown;
    await fleet.client.submit(request('order-2', 'request-b')).catch((error: unknown) => (refused = error));
    expect(refused).to.be.instanceOf(IdempotencyKeyReusedError);
    expect((await fleet.client.submit(request('order-2'))).id).to.equal(first.id);
    expect(await indexRows()).to.equal(1);
  });

  it('takes back the index row and the key claim when the enqueue fails, so the same key can be used again', async () => {
    await breakEnqueue();
    let failed: unknown;
    await fleet.client.submit(request('order-3')).catch((error: unknown) => (failed = error));
    expect(failed, 'the enqueue should have failed').to.be.instanceOf(Error);
    expect(String(failed)).to.match(/WRONGTYPE/);
    expect(await indexRows(), 'index rows left behind').to.equal(0);
    expect(await idempotencyKeys(), 'key claims left behind').to.deep.equal([]);
    expect(await fleet.jobCount()).to.equal(0);

    await fleet.redis.del(`${fleet.prefix}:${QUEUES.clustering}:meta`);
    // Another request with the key: the failed one left nothing that would refuse it.
    const retried = await fleet.client.submit(request('order-3', 'request-b'));
    expect(retried.state).to.equal('waiting');
    expect(await indexRows(retried.id)).to.equal(1);
    expect(await fleet.jobCount()).to.equal(1);
  });

  it('takes back the index row of a submission without a key when the enqueue fails', async () => {
    await breakEnqueue();
    let failed: unknown;
    await fleet.client
      .submit({ kind: 'clustering', organization: 'acme', data: { text: csv }, options: { method: 'kmeans', clusters: 3 } })
      .catch((error: unknown) => (failed = error));
    expect(String(failed)).to.match(/WRONGTYPE/);
    expect(await indexRows()).to.equal(0);
  });

  it('lists what submit records, and not what submitClustering enqueues (as the CLI does)', async () => {
    const listed = await fleet.client.submit({ kind: 'clustering', organization: 'acme', data: { text: csv }, options: { method: 'kmeans', clusters: 3 } });
    const unlisted = await fleet.client.submitClustering('acme', { text: csv }, { method: 'kmeans', clusters: 3 });
    expect(await indexRows(listed.id)).to.equal(1);
    expect(await indexRows(unlisted.id)).to.equal(0);
    expect(await fleet.jobCount()).to.equal(2);
  });
});
