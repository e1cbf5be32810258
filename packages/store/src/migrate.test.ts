import { appendFileSync, cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import pg from 'pg';
import { MigrationChecksumError, MigrationFailedError, MigrationFileError, StoreErrorCode } from './errors.js';
import { advisoryLockKey, loadMigrations, migrate, MIGRATIONS_DIRECTORY } from './migrate.js';
import { dropSchema, randomSchema, rejection, testPool } from './test-helpers.js';

const SHIPPED = readdirSync(MIGRATIONS_DIRECTORY)
  .filter((file) => file.endsWith('.sql'))
  .sort()
  .map((file) => file.replace(/\.sql$/, ''));

describe('migrate', () => {
  let pool: pg.Pool;
  const schemas: string[] = [];
  const folders: string[] = [];

  /** A schema of this test's own, dropped after the file. */
  function newSchema(prefix?: string): string {
    const schema = randomSchema(prefix);
    schemas.push(schema);
    return schema;
  }

  /** A copy of the shipped migrations that a test may change. */
  function copyOfMigrations(): string {
    const folder = mkdtempSync(join(tmpdir(), 'insights-migrations-'));
    cpSync(fileURLToPath(MIGRATIONS_DIRECTORY), folder, { recursive: true });
    folders.push(folder);
    return folder;
  }

  async function recorded(schema: string): Promise<{ version: number; name: string; checksum: string }[]> {
    const { rows } = await pool.query<{ version: number; name: string; checksum: string }>(
      `SELECT version, name, checksum FROM ${pg.escapeIdentifier(schema)}.schema_migrations ORDER BY version`,
    );
    return rows;
  }

  before(() => {
    pool = testPool(10);
  });

  after(async () => {
    for (const schema of schemas) await dropSchema(pool, schema);
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
    await pool.end();
  });

  it('ships migrations named NNNN_name.sql, numbered from 0001 without gaps', async () => {
    const migrations = await loadMigrations();
    expect(migrations.map((m) => m.version)).to.deep.equal(migrations.map((_, i) => i + 1));
    expect(SHIPPED).to.include.members(['0001_datasets', '0002_job_results']);
    for (const m of migrations) expect(m.checksum).to.match(/^[0-9a-f]{64}$/);
  });

  it('creates the schema and applies every migration in order, recording each with its checksum', async () => {
    const schema = newSchema();
    const { applied } = await migrate(pool, { schema });
    expect(applied).to.deep.equal(SHIPPED);

    const migrations = await loadMigrations();
    expect(await recorded(schema)).to.deep.equal(migrations.map((m) => ({ version: m.version, name: m.name, checksum: m.checksum })));

    const { rows } = await pool.query<{ table_name: string; column_name: string; data_type: string; is_nullable: string }>(
      `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
        WHERE table_schema = $1 AND table_name IN ('datasets', 'job_results') ORDER BY table_name, ordinal_position`,
      [schema],
    );
    const columns = rows.map((r) => `${r.table_name}.${r.column_name} ${r.data_type}${r.is_nullable === 'NO' ? ' not null' : ''}`);
    expect(columns).to.deep.equal([
      'datasets.id text not null',
      'datasets.organization text not null',
      'datasets.people integer not null',
      'datasets.content bytea not null',
      'datasets.created_at timestamp with time zone not null',
      'datasets.last_used_at timestamp with time zone not null',
      'job_results.job_id text not null',
      'job_results.queue text not null',
      'job_results.organization text not null',
      'job_results.dataset_id text',
      'job_results.kind text not null',
      'job_results.parameters jsonb not null',
      'job_results.result jsonb not null',
      'job_results.quality jsonb',
      'job_results.attempts integer not null',
      'job_results.duration_ms double precision not null',
      'job_results.created_at timestamp with time zone not null',
    ]);
    const indexes = await pool.query<{ indexdef: string }>(`SELECT indexdef FROM pg_indexes WHERE schemaname = $1`, [schema]);
    expect(indexes.rows.map((r) => r.indexdef).join('\n')).to.include('job_results USING btree (organization, created_at)');
  });

  it('is idempotent: a second run applies nothing', async () => {
    const schema = newSchema();
    await migrate(pool, { schema });
    const before = await recorded(schema);
    expect(await migrate(pool, { schema })).to.deep.equal({ applied: [] });
    expect(await recorded(schema)).to.deep.equal(before);
  });

  it('applies each migration once when 5 migrators on separate connections start together', async () => {
    const schema = newSchema();
    const pools = Array.from({ length: 5 }, () => testPool(1));
    try {
      const results = await Promise.all(pools.map((p) => migrate(p, { schema })));
      const applied = results.flatMap((r) => r.applied);
      expect(applied.sort()).to.deep.equal(SHIPPED);
      expect(results.filter((r) => r.applied.length > 0)).to.have.length(1);
      expect((await recorded(schema)).map((r) => r.version)).to.deep.equal(SHIPPED.map((_, i) => i + 1));
    } finally {
      await Promise.all(pools.map((p) => p.end()));
    }
  });

  it('applies only the migrations added since the last run', async () => {
    const schema = newSchema();
    const folder = copyOfMigrations();
    await migrate(pool, { schema, directory: folder });
    const next = String(SHIPPED.length + 1).padStart(4, '0');
    writeFileSync(join(folder, `${next}_add_note.sql`), 'ALTER TABLE datasets ADD COLUMN note text;\n');
    expect(await migrate(pool, { schema, directory: folder })).to.deep.equal({ applied: [`${next}_add_note`] });
    const { rows } = await pool.query(`SELECT 1 FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'datasets' AND column_name = 'note'`, [
      schema,
    ]);
    expect(rows).to.have.length(1);
  });

  it('refuses to run, changing nothing, when an applied migration file was edited', async () => {
    const schema = newSchema();
    const folder = copyOfMigrations();
    await migrate(pool, { schema, directory: folder });
    const before = await recorded(schema);
    appendFileSync(join(folder, `${SHIPPED[0]}.sql`), '\nALTER TABLE datasets ADD COLUMN sneaky text;\n');
    writeFileSync(join(folder, '0099_pending.sql'), 'CREATE TABLE pending_should_not_exist (x int);\n');

    const error = await rejection(migrate(pool, { schema, directory: folder }));
    expect(error).to.be.instanceOf(MigrationChecksumError);
    const mismatch = error as MigrationChecksumError;
    expect(mismatch.code).to.equal(StoreErrorCode.MIGRATION_CHECKSUM_MISMATCH);
    expect(mismatch.message).to.include(`${SHIPPED[0]}.sql`).and.include(schema);
    expect(mismatch.changed.map((c) => c.version)).to.deep.equal([1]);
    expect(mismatch.changed[0]!.applied).to.equal(before[0]!.checksum);
    expect(await recorded(schema)).to.deep.equal(before);
    const { rows } = await pool.query(`SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = 'pending_should_not_exist'`, [schema]);
    expect(rows).to.have.length(0);
  });

  it('treats CRLF line ends as the same file', async () => {
    const schema = newSchema();
    const folder = copyOfMigrations();
    await migrate(pool, { schema, directory: folder });
    for (const file of readdirSync(folder)) {
      const path = join(folder, file);
      writeFileSync(path, readFileSync(path, 'utf8').replace(/\n/g, '\r\n'));
    }
    expect(await migrate(pool, { schema, directory: folder })).to.deep.equal({ applied: [] });
  });

  it('rolls back every migration of the run when one fails, naming it', async () => {
    const schema = newSchema();
    const folder = copyOfMigrations();
    writeFileSync(join(folder, '0099_broken.sql'), 'ALTER TABLE no_such_table ADD COLUMN x int;\n');
    const error = await rejection(migrate(pool, { schema, directory: folder }));
    expect(error).to.be.instanceOf(MigrationFailedError);
    expect((error as MigrationFailedError).migration).to.equal('0099_broken');
    expect((error as Error).message).to.include('no_such_table');
    const { rows } = await pool.query(`SELECT 1 FROM pg_tables WHERE schemaname = $1`, [schema]);
    expect(rows).to.have.length(0);
  });

  it('refuses misnamed files and repeated versions', async () => {
    const misnamed = copyOfMigrations();
    writeFileSync(join(misnamed, '3_oops.sql'), 'SELECT 1;\n');
    expect(await rejection(loadMigrations(misnamed)))
      .to.be.instanceOf(MigrationFileError)
      .with.property('message')
      .that.includes('3_oops.sql');

    const repeated = copyOfMigrations();
    writeFileSync(join(repeated, '0001_again.sql'), 'SELECT 1;\n');
    const error = await rejection(migrate(pool, { schema: newSchema(), directory: repeated }));
    expect(error).to.be.instanceOf(MigrationFileError).with.property('code', StoreErrorCode.MIGRATION_FILE_INVALID);
  });

  it('quotes the schema name, so any name works and nothing lands elsewhere', async () => {
    const schema = newSchema('Store Test "quoted";');
    expect((await migrate(pool, { schema })).applied).to.deep.equal(SHIPPED);
    const { rows } = await pool.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = $1 ORDER BY 1`, [schema]);
    const created = readdirSync(MIGRATIONS_DIRECTORY)
      .filter((file) => file.endsWith('.sql'))
      .flatMap((file) => [...readFileSync(new URL(file, MIGRATIONS_DIRECTORY), 'utf8').matchAll(/^CREATE TABLE (\w+)/gim)].map((m) => m[1]!));
    expect(created).to.include.members(['datasets', 'job_results']);
    expect(rows.map((r) => r.tablename)).to.deep.equal([...created, 'schema_migrations'].sort());
  });

  it('derives a fixed lock key per schema', () => {
    expect(advisoryLockKey('public')).to.equal(advisoryLockKey('public'));
    expect(advisoryLockKey('public')).to.not.equal(advisoryLockKey('other'));
    const key = BigInt(advisoryLockKey('public'));
    expect(key >= -(2n ** 63n) && key < 2n ** 63n, 'fits a bigint').to.equal(true);
  });
});
