import { fileURLToPath } from 'node:url';
import type { Cluster, Redis } from 'ioredis';

/** The local services the fleet benchmarks run against (the tests' database). */
export const REDIS_URL = 'redis://127.0.0.1:6379';
export const DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';

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
