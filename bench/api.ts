/**
 * Latency of the HTTP API under a fixed request rate, measured with autocannon:
 *
 * - status reads: `GET /api/v1/jobs/:id` at 500 requests/s (target: p99 under 20 ms);
 * - small submissions: `POST /api/v1/jobs/clustering` with a 50-person CSV at 20 requests/s.
 *
 * The API runs as its own process (`insights api`), so the load generator does not share its
 * event loop; no worker runs, so the API has the machine to itself (submitted jobs just queue).
 * Each request is authenticated (one indexed PostgreSQL lookup), audited and counted in Redis'
 * rate limit, as in production. Needs Redis and PostgreSQL on localhost and `npm run build`.
 * Run: npx tsx bench/api.ts [--reads-rate N] [--submit-rate N] [--seconds N]
 */
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { createPool, Store } from '../packages/store/src/index.ts';
import { startApi } from './lib/api-process.ts';
import { machine, printJson, round } from './lib/report.ts';
import { DATABASE_URL, numberOption, REDIS_URL, removeBenchData } from './lib/services.ts';

const READS_RATE = numberOption('--reads-rate', 500);
const SUBMIT_RATE = numberOption('--submit-rate', 20);
const SECONDS = numberOption('--seconds', 20);

/** The part of autocannon's programmatic interface used here (it ships no types). */
interface AutocannonResult {
  requests: { total: number; average: number };
  latency: { p50: number; p90: number; p97_5: number; p99: number; max: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
  statusCodeStats?: Record<string, { count: number }>;
}
interface AutocannonInstance {
  on(event: 'response', listener: (client: unknown, statusCode: number, bytes: number, responseTimeMs: number) => void): void;
}
type Autocannon = (options: Record<string, unknown>, done: (error: Error | null, result: AutocannonResult) => void) => AutocannonInstance;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

/** A run, with every response time recorded (autocannon's own percentiles skip p95). */
function run(options: Record<string, unknown>): Promise<{ result: AutocannonResult; times: number[] }> {
  const times: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (error, result) => (error ? reject(error) : resolve({ result, times })));
    instance.on('response', (_client, _status, _bytes, ms) => times.push(ms));
  });
}

function percentile(sorted: number[], p: number): number {
  return round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN, 2);
}

function csv(n: number): string {
  const lines = ['employee_id,red_energy,blue_energy,green_energy,yellow_energy'];
  for (let i = 0; i < n; i++) lines.push(`b${i},${10 + (i % 40)},${20 + (i % 13)},${30 - (i % 17)},${25 + (i % 7)}`);
  return lines.join('\n');
}

/**
 * The API's own view of a route from `api_request_duration_seconds`: the share of requests
 * answered within each bucket bound, as the server timed them (without the client's side).
 */
async function serverSide(metricsPort: number, endpoint: string, method: string): Promise<Record<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  const buckets = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^api_request_duration_seconds_bucket\{(.*)\} (\S+)$/.exec(line);
    if (!match || !match[1]!.includes(`endpoint="${endpoint}"`) || !match[1]!.includes(`method="${method}"`)) continue;
    buckets.set(/le="([^"]+)"/.exec(match[1]!)![1]!, Number(match[2]));
  }
  const total = buckets.get('+Inf') ?? 0;
  return Object.fromEntries(
    [...buckets].filter(([le]) => ['0.01', '0.025', '0.05', '0.1'].includes(le)).map(([le, n]) => [`within_${Number(le) * 1000}ms`, round(n / total, 4)]),
  );
}

function summary({ result, times }: { result: AutocannonResult; times: number[] }, rate: number) {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    target_rate_per_s: rate,
    achieved_rate_per_s: round(result.requests.total / result.duration, 1),
    requests: result.requests.total,
    latency_ms: {
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      max: round(sorted.at(-1) ?? NaN, 2),
      mean: round(result.latency.average, 2),
    },
    non_2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

async function main(): Promise<void> {
  const schema = `bench_api_${randomBytes(4).toString('hex')}`;
  const prefix = `bench-api-${randomBytes(4).toString('hex')}`;
  const db = createPool(DATABASE_URL, { max: 2 });
  const store = new Store(db, schema);
  await store.migrate();
  const token = await store.createToken('bench', 'bench');
  const api = await startApi({
    ...process.env,
    REDIS_URL,
    DATABASE_URL,
    DATABASE_SCHEMA: schema,
    QUEUE_PREFIX: prefix,
    INSIGHTS_API_HOST: '127.0.0.1',
    INSIGHTS_METRICS_HOST: '127.0.0.1',
    INSIGHTS_RATE_LIMIT_PER_MINUTE: '1000000',
    LOG_LEVEL: 'warn',
  });
  const base = `http://127.0.0.1:${api.port}`;
  const headers = { authorization: `Bearer ${token.token}` };
  const body = csv(50);
  try {
    const first = await fetch(`${base}/api/v1/jobs/clustering?method=kmeans&clusters=3`, {
      method: 'POST',
      body,
      headers: { ...headers, 'content-type': 'text/csv' },
    });
    const { id } = (await first.json()) as { id: string };
    // Warm-up: JIT, connection pools.
    await run({ url: `${base}/api/v1/jobs/${id}`, headers, connections: 10, amount: 2_000 });
    const loadBefore = machine().loadavg_1m;
    const reads = await run({ url: `${base}/api/v1/jobs/${id}`, headers, connections: 20, overallRate: READS_RATE, duration: SECONDS });
    const submissions = await run({
      url: `${base}/api/v1/jobs/clustering?method=kmeans&clusters=3&stability_runs=0`,
      method: 'POST',
      headers: { ...headers, 'content-type': 'text/csv' },
      body,
      connections: 5,
      overallRate: SUBMIT_RATE,
      duration: SECONDS,
    });
    printJson({
      benchmark: 'api',
      machine: { ...machine(), loadavg_1m_before: loadBefore },
      seconds_per_run: SECONDS,
      status_reads: { ...summary(reads, READS_RATE), server_side_share: await serverSide(api.metricsPort, '/api/v1/jobs/:id', 'GET') },
      small_submissions: {
        people: 50,
        ...summary(submissions, SUBMIT_RATE),
        server_side_share: await serverSide(api.metricsPort, '/api/v1/jobs/clustering', 'POST'),
      },
      targets: { status_reads_p99_ms: 20, guide_baseline_ms: { p50: 100, p95: 500, p99: 1000 } },
      status_reads_p99_under_20ms:
        percentile(
          [...reads.times].sort((a, b) => a - b),
          99,
        ) < 20,
    });
  } finally {
    await api.stop();
    await removeBenchData(db, prefix, schema);
  }
}

await main();
