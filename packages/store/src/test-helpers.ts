import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate } from './migrate.js';
import { createPool } from './pool.js';

/** The test database (trust auth); `TEST_DATABASE_URL` points the tests elsewhere. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** A schema name of its own for one test file. */
export function randomSchema(prefix = 'store_test'): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}

/** A pool on the test database. */
export function testPool(max = 10): pg.Pool {
  return createPool(TEST_DATABASE_URL, { max, applicationName: 'insights-store-test' });
}

/** Drops a test schema and everything in it. */
export async function dropSchema(db: pg.Pool, schema: string): Promise<void> {
  await db.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
}

/** Resolves with what a promise rejected with, failing if it fulfilled. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, but it fulfilled');
}

/** A test file's own schema, migrated before its tests and dropped after them. */
export interface MigratedSchema {
  readonly schema: string;
  readonly options: { schema: string };
  /** The pool (from the `before` hook on). */
  readonly pool: pg.Pool;
}

/** Registers `before`/`after` hooks that migrate a schema of its own on a pool of `max` connections, and drop it. */
export function migratedSchema(max = 5): MigratedSchema {
  const schema = randomSchema();
  let pool: pg.Pool | undefined;
  before(async () => {
    pool = testPool(max);
    await migrate(pool, { schema });
  });
  after(async () => {
    if (!pool) return;
    await dropSchema(pool, schema);
    await pool.end();
  });
  return {
    schema,
    options: { schema },
    get pool() {
      if (!pool) throw new Error('the schema is migrated in a before hook: use the pool inside tests and hooks');
      return pool;
    },
  };
}
