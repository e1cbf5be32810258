import { statfs } from 'node:fs/promises';
import type { Cluster, Redis } from 'ioredis';
import type { Logger } from 'pino';
import { clusterProfiles, parseProfilesCsv } from '@insights/core';
import type { Queryable } from '@insights/store';
import type { Check, Health } from './schemas.js';

/** Timeouts of the checks, in ms, from the operations guide. */
const CHECK_TIMEOUTS_MS = { database: 5_000, redis: 3_000, clustering: 10_000, disk_space: 5_000 } as const;

/** Free disk share below which disk_space is degraded, and unhealthy. */
const DISK_DEGRADED = 0.1;
const DISK_UNHEALTHY = 0.02;

/** What a check found; its status defaults to healthy, or degraded when it took over half its timeout. */
interface Finding {
  status?: Check['status'];
  message: string;
  details?: Record<string, unknown>;
}

/** What the health checks look at. */
export interface HealthSources {
  db: Queryable;
  redis: Redis | Cluster;
  /** Path whose file system disk_space measures (default: the working directory). */
  diskPath?: string;
  /** Where a failed check's error is logged: its message never reaches the client. */
  log: Logger;
}

/**
 * Runs a check with a timeout, timing it. A failure or timeout is unhealthy with a fixed message;
 * the underlying error goes to the log only.
 */
export async function timedCheck(name: string, timeoutMs: number, log: Logger, check: () => Promise<Finding>): Promise<Check> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const elapsed = () => Math.round((performance.now() - started) * 100) / 100;
  try {
    const finding = await Promise.race([
      check(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new CheckTimeout()), timeoutMs);
      }),
    ]);
    const duration = elapsed();
    const status = finding.status ?? (duration > timeoutMs / 2 ? 'degraded' : 'healthy');
    return { status, message: finding.message, duration_ms: duration, details: { timeout_ms: timeoutMs, ...finding.details } };
  } catch (error) {
    const timedOut = error instanceof CheckTimeout;
    if (!timedOut) log.warn({ err: error, check: name }, 'health check failed');
    const message = timedOut ? `${name} did not answer within ${timeoutMs} ms` : `${name} check failed`;
    return { status: 'unhealthy', message, duration_ms: elapsed(), details: { timeout_ms: timeoutMs } };
  } finally {
    clearTimeout(timer);
  }
}

class CheckTimeout extends Error {}

/** Four groups of four people, each leaning hard to one colour: k-means must find exactly them. */
const SAMPLE = (() => {
  const lines = ['employee_id,red_energy,blue_energy,green_energy,yellow_energy'];
  for (let i = 0; i < 16; i++) {
    const energies = [10, 10, 10, 10].map((v, j) => (j === i % 4 ? 70 : v) + ((i * 7 + j * 3) % 5));
    lines.push(`h${i},${energies.join(',')}`);
  }
  return parseProfilesCsv(lines.join('\n'));
})();

/** Clusters the built-in sample in-process and checks that the four groups come out. */
export async function clusterSample(): Promise<Finding> {
  const result = clusterProfiles(SAMPLE, { method: 'kmeans', clusters: 4, seed: 42, stabilityRuns: 0, nInit: 2 });
  const clusterOf = new Map(result.assignments.map((a) => [a.employee_id, a.cluster]));
  const groups = new Set<string>();
  for (let g = 0; g < 4; g++) groups.add([0, 1, 2, 3].map((m) => clusterOf.get(`h${g + 4 * m}`)).join(','));
  const separated = groups.size === 4 && [...groups].every((key) => new Set(key.split(',')).size === 1);
  if (!separated) return { status: 'unhealthy', message: 'the sample was clustered wrongly', details: { k: result.k } };
  return { message: `clustered ${result.n} people into ${result.k} clusters`, details: { n: result.n, k: result.k, silhouette: result.quality.silhouette } };
}

/** Free space of the file system holding `path`. */
export async function diskSpace(path: string): Promise<Finding> {
  const stats = await statfs(path);
  const total = stats.blocks * stats.bsize;
  const free = stats.bavail * stats.bsize;
  const ratio = total > 0 ? free / total : 0;
  const details = { free_bytes: free, total_bytes: total, free_ratio: Math.round(ratio * 1000) / 1000 };
  const percent = `${(ratio * 100).toFixed(1)} % free`;
  if (ratio < DISK_UNHEALTHY) return { status: 'unhealthy', message: `disk almost full: ${percent}`, details };
  if (ratio < DISK_DEGRADED) return { status: 'degraded', message: `disk getting full: ${percent}`, details };
  return { message: percent, details };
}

/** The worst status of a set of checks. */
export function overall(checks: Check[]): Check['status'] {
  if (checks.some((c) => c.status === 'unhealthy')) return 'unhealthy';
  if (checks.some((c) => c.status === 'degraded')) return 'degraded';
  return 'healthy';
}

/** Database and Redis only: what /api/health/ready needs. */
export async function readiness(sources: HealthSources): Promise<Health> {
  const [database, redis] = await Promise.all([
    timedCheck('database', CHECK_TIMEOUTS_MS.database, sources.log, async () => {
      await sources.db.query('SELECT 1');
      return { message: 'database answered' };
    }),
    timedCheck('redis', CHECK_TIMEOUTS_MS.redis, sources.log, async () => {
      await sources.redis.ping();
      return { message: 'redis answered' };
    }),
  ]);
  return { status: overall([database, redis]), checks: { database, redis } };
}

/** The full health document: database, redis, clustering and disk_space, run concurrently. */
export async function healthDocument(sources: HealthSources): Promise<Health> {
  const [ready, clustering, disk] = await Promise.all([
    readiness(sources),
    timedCheck('clustering', CHECK_TIMEOUTS_MS.clustering, sources.log, clusterSample),
    timedCheck('disk_space', CHECK_TIMEOUTS_MS.disk_space, sources.log, () => diskSpace(sources.diskPath ?? process.cwd())),
  ]);
  const checks = { ...ready.checks, clustering, disk_space: disk };
  return { status: overall(Object.values(checks)), checks };
}
