import { expect } from 'chai';
import pg from 'pg';
import { canonicalDatasetJson, datasetId, deleteDataset, getDataset, putDataset, type DatasetContent } from './datasets.js';
import { InvalidDatasetError, StoreErrorCode } from './errors.js';
import { migratedSchema, rejection } from './test-helpers.js';

const ORG = 'acme';

/** Three people as the core would hand them over, with awkward numbers, metadata and a skipped row. */
function sample(): DatasetContent {
  return {
    ids: ['e-001', 'e-002', 'ü-003 "quoted"'],
    energies: [25, 25, 25, 25, 33.333333333333336, 16.666666666666668, 0, 50, 10.1, 20.2, 30.3, 39.4],
    lines: [2, 3, 5],
    lineUnit: 'line',
    metadata: { team: ['red', 'blue', ''], department: ['R&D', 'Sales', 'Ops, "West"'] },
    skipped: [
      { line: 4, employee_id: 'e-004', reasons: ['column red_energy: not a number', 'column blue_energy: negative'] },
      { line: 6, reasons: ['column employee_id: empty'] },
    ],
  };
}

describe('datasets', () => {
  const db = migratedSchema(25);
  const { schema, options } = db;
  const datasets = `${pg.escapeIdentifier(schema)}.datasets`;

  async function rowCount(id: string): Promise<number> {
    const { rows } = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${datasets} WHERE id = $1`, [id]);
    return rows[0]!.n;
  }

  describe('datasetId', () => {
    it('is a hex SHA-256 that ignores the order of metadata columns', () => {
      const content = sample();
      const reordered = { ...content, metadata: { department: content.metadata.department!, team: content.metadata.team! } };
      expect(datasetId(ORG, content)).to.match(/^[0-9a-f]{64}$/);
      expect(datasetId(ORG, reordered)).to.equal(datasetId(ORG, content));
      expect(canonicalDatasetJson(reordered)).to.equal(canonicalDatasetJson(content));
    });

    it('differs between organisations and between contents', () => {
      const content = sample();
      const changed = { ...content, energies: content.energies.map((e, i) => (i === 0 ? e + 1e-12 : e)) };
      expect(datasetId('other', content)).to.not.equal(datasetId(ORG, content));
      expect(datasetId(ORG, changed)).to.not.equal(datasetId(ORG, content));
      // NUL separates the organisation from the content: no shifting of characters between them.
      expect(datasetId('a', content)).to.not.equal(datasetId('', content));
    });
  });

  it('round-trips content exactly: energies as numbers, metadata, skipped rows', async () => {
    const content = sample();
    const { id, created } = await putDataset(db.pool, ORG, content, options);
    expect(created).to.equal(true);
    expect(id).to.equal(datasetId(ORG, content));
    const read = await getDataset(db.pool, id, ORG, options);
    expect(read).to.deep.equal(content);
    expect(read!.energies.every((e) => typeof e === 'number')).to.equal(true);
  });

  it('stores gzip of the canonical JSON with the head count', async () => {
    const content = sample();
    const { id } = await putDataset(db.pool, ORG, content, options);
    const { rows } = await db.pool.query<{ organization: string; people: number; content: Buffer }>(
      `SELECT organization, people, content FROM ${datasets} WHERE id = $1`,
      [id],
    );
    expect(rows[0]!.organization).to.equal(ORG);
    expect(rows[0]!.people).to.equal(3);
    expect([...rows[0]!.content.subarray(0, 2)]).to.deep.equal([0x1f, 0x8b]);
  });

  it('keeps one row for the same content and marks it used again', async () => {
    const content = { ...sample(), ids: ['x-1', 'x-2', 'x-3'] };
    const first = await putDataset(db.pool, ORG, content, options);
    await db.pool.query(`UPDATE ${datasets} SET last_used_at = '2001-01-01Z' WHERE id = $1`, [first.id]);
    const second = await putDataset(
      db.pool,
      ORG,
      { ...content, metadata: { department: content.metadata.department!, team: content.metadata.team! } },
      options,
    );
    expect(first.created).to.equal(true);
    expect(second).to.deep.equal({ id: first.id, created: false });
    expect(await rowCount(first.id)).to.equal(1);
    const { rows } = await db.pool.query<{ touched: boolean }>(
      `SELECT last_used_at > '2001-01-01Z' AND created_at <= last_used_at AS touched FROM ${datasets} WHERE id = $1`,
      [first.id],
    );
    expect(rows[0]!.touched).to.equal(true);
  });

  it('survives 20 concurrent puts of the same content: all succeed, one creates, one row', async () => {
    const content = { ...sample(), ids: ['c-1', 'c-2', 'c-3'] };
    const results = await Promise.all(Array.from({ length: 20 }, () => putDataset(db.pool, ORG, content, options)));
    expect(new Set(results.map((r) => r.id)).size).to.equal(1);
    expect(results.filter((r) => r.created)).to.have.length(1);
    expect(await rowCount(results[0]!.id)).to.equal(1);
  });

  it('keeps organisations apart: another organisation can neither read nor delete a data set', async () => {
    const content = { ...sample(), ids: ['o-1', 'o-2', 'o-3'] };
    const { id } = await putDataset(db.pool, ORG, content, options);
    expect(await getDataset(db.pool, id, 'globex', options)).to.equal(null);
    expect(await deleteDataset(db.pool, id, 'globex', options)).to.deep.equal({ deleted: false });
    expect(await getDataset(db.pool, id, ORG, options)).to.deep.equal(content);

    const theirs = await putDataset(db.pool, 'globex', content, options);
    expect(theirs.id).to.not.equal(id);
    expect(theirs.created).to.equal(true);
  });

  it('deletes a data set', async () => {
    const content = { ...sample(), ids: ['d-1', 'd-2', 'd-3'] };
    const { id } = await putDataset(db.pool, ORG, content, options);
    expect(await deleteDataset(db.pool, id, ORG, options)).to.deep.equal({ deleted: true });
    expect(await getDataset(db.pool, id, ORG, options)).to.equal(null);
    expect(await deleteDataset(db.pool, id, ORG, options)).to.deep.equal({ deleted: false });
  });

  it('returns null for an unknown id', async () => {
    expect(await getDataset(db.pool, '0'.repeat(64), ORG, options)).to.equal(null);
  });

  it('refuses content that would not read back as written, listing every problem', async () => {
    const content = sample();
    const bad = { ...content, energies: [...content.energies.slice(0, 11), Number.NaN], lines: [2, 3], metadata: { team: ['a'] } };
    const error = await rejection(putDataset(db.pool, ORG, bad, options));
    expect(error).to.be.instanceOf(InvalidDatasetError).with.property('code', StoreErrorCode.INVALID_DATASET);
    expect((error as InvalidDatasetError).problems).to.deep.equal([
      'lines: expected one per person (3), got 2',
      'metadata team: expected one value per person (3), got 1',
      'energies[11]: NaN is not a finite number',
    ]);
    const missingEnergy = { ...content, energies: content.energies.slice(1) };
    expect(await rejection(putDataset(db.pool, ORG, missingEnergy, options)))
      .to.be.instanceOf(InvalidDatasetError)
      .with.property('message')
      .that.includes('energies: expected 4 per person (12), got 11');
  });
});
