import { fileURLToPath } from 'node:url';
import { Redis, type Cluster } from 'ioredis';
import pg from 'pg';

/** The services the fleet benchmarks run against: `REDIS_URL`, or the local test server. */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** `DATABASE_URL`, or the tests' local database. */
export const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The port in environment variable `name`, or undefined when it is not set (pick a free one then). */
export function portFromEnv(name: string, env: NodeJS.ProcessEnv = process.env): number | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new Error(`${name}: expected a port from 1 to 65535, got "${value}"`);
  return port;
}

/** The `insights` command, run as a user runs it. */
export const CLI = fileURLToPath(new URL('../../packages/cli/bin/insights.js', import.meta.url));

/** `--name VALUE` from the command line, or `fallback`. */
export function option(name: string, fallback: string): string {
  const args = process.argv.slice(2);
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1]! : fallback;
}

/** A numeric `--name VALUE`, or `fallback`. */
export function numberOption(name: string, fallback: number): number {
  return Number(option(name, String(fallback)));
}

/** Deletes every key matching `pattern` (SCAN + UNLINK, so that Redis keeps serving). */
export async function deleteKeys(redis: Redis | Cluster, pattern: string, count = 1000): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await (redis as Redis).scan(cursor, 'MATCH', pattern, 'COUNT', count);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== '0');
}

/**
 * Removes what a benchmark made on the shared services: its queue keys (`prefix:*`) in Redis and
 * its PostgreSQL schema; then closes `db`.
 */
export async function removeBenchData(db: pg.Pool, prefix: string, schema: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  await deleteKeys(redis, `${prefix}:*`);
  await redis.quit();
  await db.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
  await db.end();
}
