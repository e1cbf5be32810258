/**
 * Throughput and latency of the worker fleet against raw BullMQ, measured in the same run:
 *
 * - raw BullMQ: no-op jobs through one Queue and one Worker (concurrency 50) in this process;
 * - small jobs: 100 profiles, kmeans, through the producer client: the rate at which 1 and 2
 *   worker processes (`insights worker`) empty a backlog, and submit-to-finish latency p50/p99
 *   while jobs are submitted one by one;
 * - large jobs: 20,000 profiles, hybrid, on 1 worker, as jobs per minute.
 *
 * Where the time goes comes from the summaries the workers return (queued, run, save).
 * Needs Redis and PostgreSQL on localhost and a build (`npm run build`).
 * Run: npx tsx bench/fleet.ts [--small N] [--large N]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { generateSynthetic } from '../packages/core/src/index.ts';
import { InsightsClient } from '../packages/producer/src/index.ts';
import { createPool, Store } from '../packages/store/src/index.ts';
import type { JobSummary } from '../packages/jobs/src/index.ts';
import { populationToCsv } from './lib/population.ts';
import { machine, printJson, round } from './lib/report.ts';
import { CLI, DATABASE_URL, numberOption, REDIS_URL } from './lib/services.ts';

const RAW_JOBS = 5_000;
const SMALL_JOBS = numberOption('--small', 300);
const LARGE_JOBS = numberOption('--large', 3);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function rawBullmq(prefix: string): Promise<{ jobs: number; seconds: number; jobs_per_second: number }> {
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const queue = new Queue('noop', { connection, prefix });
  let done = 0;
  let resolveAll: () => void;
  const all = new Promise<void>((resolve) => (resolveAll = resolve));
  const worker = new Worker('noop', async () => undefined, { connection, prefix, concurrency: 50, autorun: false });
  worker.on('completed', () => {
    if (++done === RAW_JOBS) resolveAll();
  });
  const started = performance.now();
  await queue.addBulk(Array.from({ length: RAW_JOBS }, (_, i) => ({ name: 'noop', data: { i }, opts: { removeOnComplete: true } })));
  void worker.run();
  await all;
  const seconds = (performance.now() - started) / 1000;
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  connection.disconnect();
  return { jobs: RAW_JOBS, seconds: round(seconds), jobs_per_second: round(RAW_JOBS / seconds, 0) };
}

/** Starts `insights worker` processes and resolves once each has logged that it is ready. */
async function startWorkers(count: number, env: Record<string, string>): Promise<ChildProcess[]> {
  return Promise.all(
    Array.from({ length: count }, () => {
      const child = spawn(process.execPath, [CLI, 'worker'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
      return new Promise<ChildProcess>((resolve, reject) => {
        const lines = createInterface({ input: child.stdout! });
        lines.on('line', (line) => {
          if (line.includes('"worker ready"')) resolve(child);
        });
        child.once('exit', (code) => reject(new Error(`worker exited with ${code} before it was ready`)));
      });
    }),
  );
}

async function stopWorkers(workers: ChildProcess[]): Promise<void> {
  await Promise.all(
    workers.map(
      (w) =>
        new Promise((resolve) => {
          w.once('exit', resolve);
          w.kill('SIGTERM');
        }),
    ),
  );
}

/**
 * One measurement. `streaming`: workers run while jobs are submitted one after another (latency
 * as a caller sees it). `drain`: every job is submitted first, then the workers start, and the time
 * to empty the backlog is the workers' own throughput.
 */
async function fleetRun(label: string, mode: 'streaming' | 'drain', workers: number, jobs: number, people: number, method: 'kmeans' | 'hybrid') {
  const prefix = `bench-fleet-${randomBytes(4).toString('hex')}`;
  const schema = `bench_fleet_${randomBytes(4).toString('hex')}`;
  const env = { REDIS_URL, DATABASE_URL, DATABASE_SCHEMA: schema, QUEUE_PREFIX: prefix, WORKER_METRICS_PORT: '0', LOG_LEVEL: 'info' };
  const db = createPool(DATABASE_URL);
  await new Store(db, schema).migrate();
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const client = new InsightsClient({ redis, db, prefix, schema });
  const text = populationToCsv(generateSynthetic('separated', people, 1));
  let processes = mode === 'streaming' ? await startWorkers(workers, env) : [];
  const events = new QueueEvents('clustering', { connection: redis, prefix });
  await events.waitUntilReady();
  const finished = new Map<string, number>();
  let resolveAll: () => void;
  const all = new Promise<void>((resolve) => (resolveAll = resolve));
  events.on('completed', ({ jobId }) => {
    finished.set(jobId, performance.now());
    if (finished.size === jobs) resolveAll();
  });
  events.on('failed', ({ jobId, failedReason }) => {
    throw new Error(`job ${jobId} failed: ${failedReason}`);
  });
  const submittedAt = new Map<string, number>();
  let started = performance.now();
  for (let i = 0; i < jobs; i++) {
    const at = performance.now();
    const { id } = await client.submitClustering('bench', { text }, { method, clusters: 4, stabilityRuns: 0 });
    submittedAt.set(id, at);
  }
  const submitSeconds = (performance.now() - started) / 1000;
  if (mode === 'drain') {
    processes = await startWorkers(workers, env);
    // From the moment the workers are ready: the jobs they finished while starting count as done early.
    started = performance.now();
  }
  await all;
  const seconds = (performance.now() - started) / 1000;
  const latencies = [...submittedAt].map(([id, at]) => finished.get(id)! - at).sort((a, b) => a - b);
  const queue = new Queue('clustering', { connection: redis, prefix });
  const summaries = (await queue.getJobs(['completed'], 0, jobs)).map((j) => j.returnvalue as JobSummary);
  const mean = (f: (s: JobSummary) => number) => round(summaries.reduce((a, s) => a + f(s), 0) / summaries.length, 1);
  await stopWorkers(processes);
  await events.close();
  await client.close();
  await queue.obliterate({ force: true });
  await queue.close();
  const teamQueue = new Queue('team-formation', { connection: redis, prefix });
  await teamQueue.obliterate({ force: true });
  await teamQueue.close();
  redis.disconnect();
  await db.query(`DROP SCHEMA ${schema} CASCADE`);
  await db.end();
  return {
    label,
    mode,
    submit_jobs_per_second: round(jobs / submitSeconds, 1),
    workers,
    jobs,
    people,
    method,
    seconds: round(seconds),
    jobs_per_second: round(jobs / seconds, 1),
    jobs_per_minute: round((60 * jobs) / seconds, 1),
    latency_ms: { p50: round(percentile(latencies, 50), 0), p99: round(percentile(latencies, 99), 0) },
    where_the_time_goes_ms: { queued: mean((s) => s.durations_ms.queued), run: mean((s) => s.durations_ms.run), save: mean((s) => s.durations_ms.save) },
  };
}

const raw = await rawBullmq(`bench-raw-${randomBytes(4).toString('hex')}`);
const one = await fleetRun('small, 1 worker, backlog', 'drain', 1, SMALL_JOBS, 100, 'kmeans');
const two = await fleetRun('small, 2 workers, backlog', 'drain', 2, SMALL_JOBS, 100, 'kmeans');
const streaming = await fleetRun('small, 2 workers, submitted one by one', 'streaming', 2, SMALL_JOBS, 100, 'kmeans');
const large = await fleetRun('large, 1 worker, backlog', 'drain', 1, LARGE_JOBS, 20_000, 'hybrid');
printJson({
  benchmark: 'fleet',
  machine: machine(),
  raw_bullmq_noop: raw,
  runs: [one, two, streaming, large],
  ratios: {
    small_1_worker_vs_raw: round(one.jobs_per_second / raw.jobs_per_second, 4),
    small_2_workers_vs_raw: round(two.jobs_per_second / raw.jobs_per_second, 4),
    two_workers_vs_one: round(two.jobs_per_second / one.jobs_per_second, 2),
  },
  note: 'backlog runs time the workers emptying a queue filled beforehand, from when they report ready; the streaming run submits through the client one job after another (parse, store the data set, enqueue) and gives the latency a caller sees; all processes share the same 2 cores',
});
