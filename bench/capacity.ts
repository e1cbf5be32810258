/**
 * What one job costs, measured on this machine, as the inputs of docs/capacity.md:
 *
 * - Redis: commands, bytes in and out, and memory kept per clustering job, through the producer
 *   client and one `insights worker` process on a private redis-server (nothing else talks to it),
 *   against raw BullMQ no-op jobs on the same server in the same run (the peer); plus what an idle
 *   worker costs per second (its polling and stall checks).
 * - PostgreSQL: rows and bytes per job (data set, result, job index) in a schema of its own.
 * - Worker CPU: milliseconds of CPU of `clusterProfiles` (what a compute thread runs) by method
 *   and population size, with the API's defaults (stability runs included); k-means is the peer.
 *
 * Needs the shared PostgreSQL (a schema of its own, dropped at the end), redis-server on PATH and
 * a build (`npm run build`). Run: npx tsx bench/capacity.ts [--jobs N] [--sizes 200,1000,5000]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue, QueueEvents, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { METHODS, clusterProfiles, generateSynthetic, type Method } from '../packages/core/src/index.ts';
import { InsightsClient } from '../packages/producer/src/index.ts';
import { createPool, Store } from '../packages/store/src/index.ts';
import { populationToCsv, toProfileSet } from './lib/population.ts';
import { machine, printJson, round } from './lib/report.ts';
import { CLI, DATABASE_URL, deleteKeys, option, numberOption } from './lib/services.ts';

const REDIS_PORT = 18_700;
const REDIS_URL = `redis://127.0.0.1:${REDIS_PORT}`;
const JOBS = numberOption('--jobs', 30);
const SIZES = option('--sizes', '200,1000,5000').split(',').map(Number);
const IDLE_SECONDS = 5;

/** Counters of the private Redis that grow with the work done on it. */
interface RedisCounters {
  commands: number;
  netIn: number;
  netOut: number;
  memory: number;
}

async function counters(redis: Redis): Promise<RedisCounters> {
  const info = await redis.info();
  const field = (name: string) => Number(new RegExp(`^${name}:(\\d+)`, 'm').exec(info)?.[1] ?? NaN);
  return {
    commands: field('total_commands_processed'),
    netIn: field('total_net_input_bytes'),
    netOut: field('total_net_output_bytes'),
    memory: field('used_memory'),
  };
}

function perJob(before: RedisCounters, after: RedisCounters, jobs: number) {
  return {
    commands: round((after.commands - before.commands) / jobs, 1),
    bytes_in: Math.round((after.netIn - before.netIn) / jobs),
    bytes_out: Math.round((after.netOut - before.netOut) / jobs),
    memory_kept_bytes: Math.round((after.memory - before.memory) / jobs),
  };
}

async function startRedis(): Promise<ChildProcess> {
  const server = spawn('redis-server', ['--port', String(REDIS_PORT), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    server.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      if (output.includes('Ready to accept connections')) resolve();
    });
    server.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output.slice(-300)}`)));
  });
  return server;
}

async function startWorker(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(process.execPath, [CLI, 'worker'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.includes('"worker ready"')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code} before it was ready`)));
  });
  return child;
}

/** The peer: no-op BullMQ jobs added one by one and processed by one Worker, on the same Redis. */
async function rawBullmq(redis: Redis): Promise<ReturnType<typeof perJob>> {
  const prefix = `bench-raw-${randomBytes(4).toString('hex')}`;
  const queue = new Queue('noop', { connection: redis, prefix });
  let done = 0;
  let finish!: () => void;
  const all = new Promise<void>((resolve) => (finish = resolve));
  const before = await counters(redis);
  const workerConnection = redis.duplicate();
  const worker = new Worker('noop', async () => ({ ok: true }), { connection: workerConnection, prefix });
  worker.on('completed', () => {
    if (++done === JOBS) finish();
  });
  for (let i = 0; i < JOBS; i++) await queue.add('noop', { i }, { removeOnComplete: { age: 86_400, count: 10_000 } });
  await all;
  const after = await counters(redis);
  await worker.close();
  workerConnection.disconnect();
  await queue.close();
  await deleteKeys(redis, `${prefix}:*`);
  return perJob(before, after, JOBS);
}

/** Bytes of a table (with its indexes and TOAST) and its rows. */
async function tableSize(db: pg.Pool, schema: string, table: string): Promise<{ rows: number; bytes: number }> {
  const name = `${pg.escapeIdentifier(schema)}.${pg.escapeIdentifier(table)}`;
  const { rows } = await db.query<{ n: string; bytes: string }>(`SELECT (SELECT count(*) FROM ${name}) AS n, pg_total_relation_size('${name}') AS bytes`);
  return { rows: Number(rows[0]!.n), bytes: Number(rows[0]!.bytes) };
}

const TABLES = ['datasets', 'job_results', 'jobs'] as const;

async function storeSizes(db: pg.Pool, schema: string): Promise<Record<string, { rows: number; bytes: number }>> {
  const { rows } = await db.query<{ table_name: string }>('SELECT table_name FROM information_schema.tables WHERE table_schema = $1', [schema]);
  const present = new Set(rows.map((r) => r.table_name));
  const sizes: Record<string, { rows: number; bytes: number }> = {};
  for (const table of TABLES) if (present.has(table)) sizes[table] = await tableSize(db, schema, table);
  return sizes;
}

/** Redis and PostgreSQL per clustering job of `people` people (distinct data sets, as distinct callers send). */
async function jobCosts(redis: Redis, db: pg.Pool, schema: string, prefix: string, people: number) {
  const client = new InsightsClient({ redis, db, prefix, schema });
  const events = new QueueEvents('clustering', { connection: redis, prefix });
  await events.waitUntilReady();
  let done = 0;
  let finish!: () => void;
  const all = new Promise<void>((resolve) => (finish = resolve));
  events.on('completed', () => {
    if (++done === JOBS) finish();
  });
  events.on('failed', ({ jobId, failedReason }) => {
    throw new Error(`job ${jobId} failed: ${failedReason}`);
  });
  const texts = Array.from({ length: JOBS }, (_, i) => populationToCsv(generateSynthetic('separated', people, 1000 + i)));
  process.stderr.write(`jobs of ${people} people\n`);
  const storeBefore = await storeSizes(db, schema);
  const before = await counters(redis);
  const ids: string[] = [];
  for (const text of texts) ids.push((await client.submitClustering('bench', { text }, { method: 'kmeans', clusters: 4, stabilityRuns: 0 })).id);
  await all;
  const after = await counters(redis);
  // What a completed job keeps in Redis until removeOnComplete lets it go (a day): its hash.
  const kept = await Promise.all(ids.map((id) => redis.memory('USAGE', `${prefix}:clustering:${id}`)));
  const jobHashBytes = Math.round(kept.reduce<number>((sum, bytes) => sum + Number(bytes ?? 0), 0) / ids.length);
  const storeAfter = await storeSizes(db, schema);
  await events.close();
  await client.close();
  const store = Object.fromEntries(
    Object.keys(storeAfter).map((table) => [
      table,
      {
        rows: round((storeAfter[table]!.rows - (storeBefore[table]?.rows ?? 0)) / JOBS, 2),
        bytes: Math.round((storeAfter[table]!.bytes - (storeBefore[table]?.bytes ?? 0)) / JOBS),
      },
    ]),
  );
  return { people, redis: { ...perJob(before, after, JOBS), completed_job_hash_bytes: jobHashBytes }, postgres: store };
}

/** CPU milliseconds of one clustering with the API's defaults, by method and size. */
function cpuCosts(): { method: Method; people: number; cpu_ms: number; wall_ms: number }[] {
  const rows: { method: Method; people: number; cpu_ms: number; wall_ms: number }[] = [];
  for (const people of SIZES) {
    const profiles = toProfileSet(generateSynthetic('separated', people, 7));
    for (const method of METHODS) {
      const cpu = process.cpuUsage();
      const wall = performance.now();
      clusterProfiles(profiles, { method, clusters: 4 });
      const used = process.cpuUsage(cpu);
      rows.push({ method, people, cpu_ms: Math.round((used.user + used.system) / 1000), wall_ms: Math.round(performance.now() - wall) });
      process.stderr.write(`cpu: ${method} n=${people}\n`);
    }
  }
  return rows;
}

async function main(): Promise<void> {
  const server = await startRedis();
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const db = createPool(DATABASE_URL, { max: 4 });
  const schema = `bench_capacity_${randomBytes(4).toString('hex')}`;
  const prefix = `bench-capacity-${randomBytes(4).toString('hex')}`;
  let worker: ChildProcess | undefined;
  try {
    await new Store(db, schema).migrate();
    worker = await startWorker({
      REDIS_URL,
      DATABASE_URL,
      DATABASE_SCHEMA: schema,
      QUEUE_PREFIX: prefix,
      WORKER_METRICS_PORT: '0',
      WORKER_CONCURRENCY: '1',
      WORKER_THREADS: '1',
      LOG_LEVEL: 'info',
    });
    process.stderr.write('idle worker\n');
    const idleBefore = await counters(redis);
    await sleep(IDLE_SECONDS * 1000);
    const idleAfter = await counters(redis);
    const jobs = [];
    for (const people of SIZES.filter((n) => n <= 1000)) jobs.push(await jobCosts(redis, db, schema, prefix, people));
    process.stderr.write('raw BullMQ peer\n');
    const peer = await rawBullmq(redis);
    const cpu = cpuCosts();
    printJson({
      benchmark: 'capacity',
      machine: machine(),
      jobs_per_measure: JOBS,
      redis_idle_worker_per_second: {
        commands: round((idleAfter.commands - idleBefore.commands) / IDLE_SECONDS, 1),
        bytes_in: Math.round((idleAfter.netIn - idleBefore.netIn) / IDLE_SECONDS),
      },
      raw_bullmq_noop_per_job: peer,
      clustering_job: jobs,
      worker_cpu: cpu,
    });
  } finally {
    worker?.kill('SIGTERM');
    if (worker) await new Promise((resolve) => worker!.once('exit', resolve));
    await db.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
    await db.end();
    redis.disconnect();
    server.kill('SIGKILL');
  }
}

await main();
