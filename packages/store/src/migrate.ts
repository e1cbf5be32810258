import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { MigrationChecksumError, MigrationFailedError, MigrationFileError, type ChangedMigration } from './errors.js';
import { schemaOf, type SchemaOption } from './sql.js';

/** The package's migrations: `../migrations/` from both `src/` (under tsx) and `dist/`. */
export const MIGRATIONS_DIRECTORY = new URL('../migrations/', import.meta.url);

/** One migration file. */
export interface Migration {
  /** The `NNNN` of `NNNN_name.sql`. */
  version: number;
  /** The `name` of `NNNN_name.sql`. */
  name: string;
  sql: string;
  /** Hex SHA-256 of the file with line ends normalised, so a CRLF checkout does not count as a change. */
  checksum: string;
}

/** Options of `migrate`. */
export interface MigrateOptions extends SchemaOption {
  /** Folder of `NNNN_name.sql` files (default: the package's `migrations/`); tests point it elsewhere. */
  directory?: URL | string;
}

/** What `migrate` did. */
export interface MigrateResult {
  /** The migrations this call applied, as `NNNN_name`, in order; empty when the schema was up to date. */
  applied: string[];
}

const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** Reads the migrations of a folder in version order, refusing misnamed files and repeated versions. */
export async function loadMigrations(directory: URL | string = MIGRATIONS_DIRECTORY): Promise<Migration[]> {
  const folder = typeof directory === 'string' || directory.href.endsWith('/') ? directory : new URL(`${directory.href}/`);
  const files = (await readdir(folder)).filter((file) => file.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = FILE_NAME.exec(file);
    if (match === null) throw new MigrationFileError(`migration file ${file} is not named NNNN_name.sql (lower case, digits, _)`);
    const version = Number(match[1]);
    const previous = migrations.at(-1);
    if (previous?.version === version) throw new MigrationFileError(`migration files ${labelOf(previous)}.sql and ${file} share version ${version}`);
    const sql = await readFile(typeof folder === 'string' ? join(folder, file) : new URL(file, folder), 'utf8');
    const checksum = createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
    migrations.push({ version, name: match[2]!, sql, checksum });
  }
  return migrations;
}

/**
 * Brings a schema up to date: creates it if missing, then applies every migration not yet recorded
 * in its `schema_migrations`, all in one transaction. A transaction-level advisory lock keyed on
 * the schema name makes concurrent callers (worker replicas starting together) wait for each
 * other, so each migration is applied exactly once. Refuses, applying nothing, when a file
 * changed after it was applied. Versions recorded but missing from the folder (a newer release
 * ran first) are left alone.
 */
export async function migrate(pool: pg.Pool, options: MigrateOptions = {}): Promise<MigrateResult> {
  const schema = schemaOf(options);
  const migrations = await loadMigrations(options.directory);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const applied = await applyPending(client, schema, migrations);
    await client.query('COMMIT');
    client.release();
    return { applied };
  } catch (error) {
    // A connection that cannot even roll back is broken: destroy it rather than pool it.
    await client.query('ROLLBACK').then(
      () => client.release(),
      (rollbackError: Error) => client.release(rollbackError),
    );
    throw error;
  }
}

async function applyPending(client: pg.PoolClient, schema: string, migrations: readonly Migration[]): Promise<string[]> {
  await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [advisoryLockKey(schema)]);
  const quoted = pg.escapeIdentifier(schema);
  // Check first: CREATE SCHEMA IF NOT EXISTS needs the CREATE privilege even when the schema exists.
  const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
  if (exists.rowCount === 0) await client.query(`CREATE SCHEMA ${quoted}`);
  await client.query(`SET LOCAL search_path TO ${quoted}`);
  await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version int PRIMARY KEY,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`);
  const { rows } = await client.query<{ version: number; name: string; checksum: string }>('SELECT version, name, checksum FROM schema_migrations');
  const recorded = new Map(rows.map((row) => [row.version, row]));

  const changed: ChangedMigration[] = [];
  for (const migration of migrations) {
    const row = recorded.get(migration.version);
    if (row !== undefined && row.checksum !== migration.checksum) {
      changed.push({ version: row.version, name: row.name, applied: row.checksum, current: migration.checksum });
    }
  }
  if (changed.length > 0) throw new MigrationChecksumError(schema, changed);

  const applied: string[] = [];
  for (const migration of migrations.filter((m) => !recorded.has(m.version))) {
    await client.query(migration.sql).catch((error: unknown) => {
      throw new MigrationFailedError(labelOf(migration), error);
    });
    await client.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [migration.version, migration.name, migration.checksum]);
    applied.push(labelOf(migration));
  }
  return applied;
}

/** A fixed 64-bit lock key per schema, as a decimal string for the `bigint` parameter. */
export function advisoryLockKey(schema: string): string {
  return createHash('sha256').update(`@insights/store migrate\0${schema}`).digest().readBigInt64BE(0).toString();
}

function labelOf(migration: Pick<Migration, 'version' | 'name'>): string {
  return `${String(migration.version).padStart(4, '0')}_${migration.name}`;
}
