/**
 * Scrape time of the exporter with 10 queues holding a million waiting jobs between them.
 *
 * Starts a redis-server of its own on a free port (nothing on disk; `--redis-url URL` uses
 * another, with a random prefix deleted afterwards), fills the queues with BullMQ-compatible keys
 * through a Lua script (job hashes, the wait lists, and some delayed, prioritized, completed and
 * failed jobs), checks them with BullMQ's own `getJobCounts`, names a few connections as workers
 * would, then starts the exporter in this process and times sequential GETs of /metrics.
 * Reported: p50/p95/max of the HTTP scrape and of the exporter's own Redis read
 * (`insights_exporter_scrape_duration_seconds`), against the 50 ms target.
 *
 * Run: npx tsx bench/exporter.ts [--jobs 1000000] [--queues 10] [--scrapes 200] [--redis-url URL]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { loadExporterConfig, startExporter } from '../packages/exporter/src/index.ts';
import { machine, printJson, round } from './lib/report.ts';
import { deleteKeys, numberOption, option } from './lib/services.ts';

const JOBS = numberOption('--jobs', 1_000_000);
const QUEUE_COUNT = numberOption('--queues', 10);
const SCRAPES = numberOption('--scrapes', 200);
const WARM_UP = 20;
const CHUNK = 20_000;
/** Per queue, besides the waiting jobs. */
const OTHERS = { delayed: 1_000, prioritized: 1_000, completed: 5_000, failed: 1_000 };
const WORKERS_PER_QUEUE = 2;
const TARGET_MS = 50;

/**
 * Writes jobs `ARGV[2]`..`ARGV[3]` of a queue as BullMQ 5 does: a hash per job and its id in a
 * state key (`wait` pushed at the head; sorted sets scored as BullMQ scores them). KEYS[1] is the
 * state key, ARGV[1] the job key prefix, ARGV[4] the state, ARGV[5] the timestamp of the first job.
 */
const FILL_LUA = `
local state = ARGV[4]
local t0 = tonumber(ARGV[5])
for i = tonumber(ARGV[2]), tonumber(ARGV[3]) do
  local id = tostring(i)
  local ts = t0 + i
  local fields = { "name", "cluster", "data", '{"organization":"bench","options":{}}', "opts", '{"attempts":6}', "timestamp", ts, "delay", 0, "priority", 0, "atm", 0 }
  if state == "wait" then
    redis.call("LPUSH", KEYS[1], id)
  elseif state == "prioritized" then
    fields[10] = 5
    redis.call("ZADD", KEYS[1], 5 * 4294967296 + i, id)
  elseif state == "delayed" then
    fields[8] = 3600000
    redis.call("ZADD", KEYS[1], (ts + 3600000) * 4096 + (i % 4096), id)
  else
    redis.call("ZADD", KEYS[1], ts, id)
    fields[#fields + 1] = "finishedOn"
    fields[#fields + 1] = ts
  end
  redis.call("HSET", ARGV[1] .. id, unpack(fields))
end
return 0
`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

async function startRedis(): Promise<{ url: string; server: ChildProcess }> {
  const port = await freePort();
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    server.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      if (output.includes('Ready to accept connections')) resolve();
    });
    server.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output.slice(-500)}`)));
  });
  return { url: `redis://127.0.0.1:${port}`, server };
}

/** Writes `count` jobs of one state, numbered from `first`, in chunks. */
async function fill(redis: Redis, prefix: string, queue: string, state: string, first: number, count: number, t0: number): Promise<void> {
  for (let start = first; start < first + count; start += CHUNK) {
    const end = Math.min(first + count, start + CHUNK) - 1;
    await redis.eval(FILL_LUA, 1, `${prefix}:${queue}:${state}`, `${prefix}:${queue}:`, start, end, state, t0);
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function stats(values: number[]): { p50: number; p95: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: round(percentile(sorted, 50), 2), p95: round(percentile(sorted, 95), 2), max: round(sorted[sorted.length - 1]!, 2) };
}

async function main(): Promise<void> {
  const external = option('--redis-url', '');
  const own = external ? undefined : await startRedis();
  const url = external || own!.url;
  const prefix = `bench-exporter-${randomBytes(4).toString('hex')}`;
  const queues = Array.from({ length: QUEUE_COUNT }, (_, i) => `bench-q${i}`);
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  const named: Redis[] = [];
  let exporter: Awaited<ReturnType<typeof startExporter>> | undefined;
  try {
    const t0 = Date.now() - 3_600_000;
    const perQueue = Math.floor(JOBS / QUEUE_COUNT);
    const fillStarted = performance.now();
    for (const queue of queues) {
      let next = 1;
      await fill(redis, prefix, queue, 'wait', next, perQueue, t0);
      next += perQueue;
      for (const [state, count] of Object.entries(OTHERS)) {
        await fill(redis, prefix, queue, state, next, count, t0);
        next += count;
      }
      await redis.set(`${prefix}:${queue}:id`, next);
      process.stderr.write(`filled ${queue}\n`);
    }
    const fillSeconds = (performance.now() - fillStarted) / 1000;

    // BullMQ itself must read what was written.
    const check = new Queue(queues[0]!, { connection: redis, prefix });
    const counts = await check.getJobCounts('waiting', 'delayed', 'prioritized', 'completed', 'failed');
    const oldest = await check.getJob('1');
    await check.close();
    const expected = { waiting: perQueue, ...OTHERS };
    for (const [state, count] of Object.entries(expected)) {
      if (counts[state] !== count) throw new Error(`BullMQ counts ${counts[state]} ${state} jobs in ${queues[0]}, expected ${count}`);
    }
    if (oldest?.timestamp !== t0 + 1) throw new Error('BullMQ does not read the job hashes as written');

    for (const queue of queues) {
      for (let i = 0; i < WORKERS_PER_QUEUE; i++) {
        const connection = new Redis(url, { connectionName: `${prefix}:${Buffer.from(queue).toString('base64')}` });
        named.push(connection);
      }
    }
    await Promise.all(named.map((connection) => connection.ping()));

    const config = loadExporterConfig({
      REDIS_URL: url,
      QUEUE_PREFIX: prefix,
      INSIGHTS_EXPORTER_PORT: '0',
      INSIGHTS_EXPORTER_HOST: '127.0.0.1',
      INSIGHTS_EXPORTER_QUEUES: queues.join(','),
    });
    exporter = await startExporter(config, pino({ level: 'silent' }));
    await exporter.listening;
    const endpoint = `http://127.0.0.1:${exporter.port}/metrics`;

    const httpMs: number[] = [];
    const redisMs: number[] = [];
    let lastText = '';
    for (let i = 0; i < WARM_UP + SCRAPES; i++) {
      const started = performance.now();
      const response = await fetch(endpoint);
      lastText = await response.text();
      const elapsed = performance.now() - started;
      if (response.status !== 200) throw new Error(`scrape answered ${response.status}`);
      if (i < WARM_UP) continue;
      httpMs.push(elapsed);
      redisMs.push(Number(/^insights_exporter_scrape_duration_seconds (\S+)$/m.exec(lastText)![1]) * 1000);
    }
    const waiting = [...lastText.matchAll(/^insights_queue_jobs\{queue="[^"]+",state="waiting"\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
    const workers = [...lastText.matchAll(/^insights_queue_workers\{queue="[^"]+"\} (\d+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
    const up = /^insights_exporter_up (\d)$/m.exec(lastText)?.[1];
    const ages = [...lastText.matchAll(/^insights_queue_oldest_waiting_age_seconds\{queue="[^"]+"\} (\S+)$/gm)].map((m) => Number(m[1]));
    const http = stats(httpMs);
    printJson({
      benchmark: 'exporter scrape',
      machine: machine(),
      redis: external ? 'external' : 'own redis-server',
      queues: QUEUE_COUNT,
      waiting_jobs: perQueue * QUEUE_COUNT,
      other_jobs_per_queue: OTHERS,
      worker_connections: named.length,
      fill_seconds: round(fillSeconds, 1),
      scrapes: SCRAPES,
      scrape_http_ms: http,
      scrape_redis_read_ms: stats(redisMs),
      exposition_bytes: lastText.length,
      reported: { up: Number(up), waiting_total: waiting, workers_total: workers, oldest_waiting_age_seconds_min: round(Math.min(...ages), 1) },
      correct: waiting === perQueue * QUEUE_COUNT && workers === named.length && up === '1' && ages.every((age) => age >= 3_600),
      target_ms: TARGET_MS,
      under_target: http.max < TARGET_MS,
    });
  } finally {
    await exporter?.stop();
    await Promise.all(named.map((connection) => connection.quit()));
    if (own) {
      own.server.kill('SIGKILL');
    } else {
      await deleteKeys(redis, `${prefix}:*`, 10_000);
    }
    redis.disconnect();
  }
}

await main();
