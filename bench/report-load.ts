/**
 * Four concurrent HTML reports of one large clustering, two ways, in the same run:
 *
 * - in-loop (the peer, how reports used to be made): a fresh Node process renders the four at once
 *   on its event loop with `renderStoredReport`; its peak RSS and longest event-loop stall;
 * - the API: `insights api` answers four concurrent `GET /api/v1/jobs/:id/report` (rendered on a
 *   thread, one at a time); its peak RSS (VmHWM) and `/api/health/live` latency polled meanwhile
 *   from a thread of this process.
 *
 * The result is computed here (k-means, no worker) and stored with its data set and index row.
 * Needs Redis and PostgreSQL on localhost and `npm run build`.
 * Run: npx tsx bench/report-load.ts [--people 100000] [--reports 4]
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { writeFileSync, mkdirSync } from 'node:fs';
import http from 'node:http';
import { clusterProfiles, generateSynthetic } from '../packages/core/src/index.ts';
import { contentOf } from '../packages/producer/src/payloads.ts';
import { createPool, Store } from '../packages/store/src/index.ts';
import { startApi } from './lib/api-process.ts';
import { pollLive, processMemoryMb } from './lib/live-poll.ts';
import { machine, printJson, round } from './lib/report.ts';
import { DATABASE_URL, numberOption, REDIS_URL, removeBenchData } from './lib/services.ts';

const PEOPLE = numberOption('--people', 100_000);
const REPORTS = numberOption('--reports', 4);

function stats(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    samples: times.length,
    p50_ms: round(sorted[Math.floor(sorted.length / 2)] ?? NaN, 1),
    max_ms: round(sorted.at(-1) ?? NaN, 1),
    over_100ms: times.filter((t) => t > 100).length,
  };
}

function get(port: number, path: string, token: string): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, agent: false, headers: { authorization: `Bearer ${token}` } }, (response) => {
        let bytes = 0;
        response.on('data', (chunk: Buffer) => (bytes += chunk.length));
        response.on('end', () => resolve({ status: response.statusCode!, bytes }));
      })
      .on('error', reject);
  });
}

/** The peer: the same reports rendered at once on one event loop, in a fresh process. */
async function inLoop(resultFile: string): Promise<{ peak_rss_mb: number; longest_stall_ms: number; html_mb: number; ms: number }> {
  const script = `
    import { readFileSync } from 'node:fs';
    import { renderStoredReport } from '@insights/report';
    const { stored, dataset } = JSON.parse(readFileSync(${JSON.stringify(resultFile)}, 'utf8'));
    const started = performance.now();
    // A 10 ms tick: the longest gap between two ticks is the longest the loop could not answer anything.
    let last = performance.now();
    let longest = 0;
    const tick = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
    }, 10);
    const html = await Promise.all(Array.from({ length: ${REPORTS} }, () => renderStoredReport(stored, async () => dataset, {})));
    const ms = Math.round(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 50));
    clearInterval(tick);
    const peak = process.resourceUsage().maxRSS * 1024 / 1e6;
    console.log(JSON.stringify({ peak_rss_mb: Math.round(peak), longest_stall_ms: Math.round(longest), html_mb: Math.round(html[0].length / 1e5) / 10, ms }));
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (out += text));
  await once(child, 'close');
  return JSON.parse(out) as { peak_rss_mb: number; longest_stall_ms: number; html_mb: number; ms: number };
}

async function main(): Promise<void> {
  const schema = `bench_report_${randomBytes(4).toString('hex')}`;
  const prefix = `bench-report-${randomBytes(4).toString('hex')}`;
  const db = createPool(DATABASE_URL, { max: 2 });
  const store = new Store(db, schema);
  await store.migrate();
  const token = (await store.createToken('bench', 'bench')).token;
  try {
    const population = generateSynthetic('separated', PEOPLE, 5);
    const profiles = {
      ids: population.ids,
      energies: population.energies,
      lines: Int32Array.from(population.ids, (_, i) => i + 2),
      lineUnit: 'line' as const,
      metadata: {},
      skipped: [],
    };
    const result = clusterProfiles(profiles, { method: 'kmeans', clusters: 4, stabilityRuns: 0, seed: 1 });
    const content = contentOf(profiles);
    const { id: datasetId } = await store.putDataset('bench', content);
    const jobId = randomUUID();
    await store.indexJob({
      jobId,
      organization: 'bench',
      kind: 'clustering',
      queue: 'clustering',
      datasetId,
      childJobId: null,
      people: PEOPLE,
      tokenId: null,
      requestFingerprint: null,
    });
    const stored = { result: result as unknown as Record<string, unknown>, datasetId };
    await store.saveResult({
      jobId,
      queue: 'clustering',
      organization: 'bench',
      datasetId,
      kind: 'clustering',
      parameters: {},
      result: stored.result,
      quality: {},
      attempts: 1,
      durationMs: 1,
    });
    mkdirSync(new URL('./out/', import.meta.url), { recursive: true });
    const file = new URL(`./out/report-load-${PEOPLE}.json`, import.meta.url).pathname;
    writeFileSync(file, JSON.stringify({ stored, dataset: content }));
    const peer = await inLoop(file);
    process.stderr.write(`in-loop: ${JSON.stringify(peer)}\n`);

    const api = await startApi({
      ...process.env,
      REDIS_URL,
      DATABASE_URL,
      DATABASE_SCHEMA: schema,
      QUEUE_PREFIX: prefix,
      INSIGHTS_API_HOST: '127.0.0.1',
      INSIGHTS_METRICS_HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    });
    try {
      const idleRss = processMemoryMb(api.pid, 'VmHWM');
      const polling = pollLive(api.port);
      const started = performance.now();
      const answers = await Promise.all(Array.from({ length: REPORTS }, () => get(api.port, `/api/v1/jobs/${jobId}/report`, token)));
      const ms = Math.round(performance.now() - started);
      const live = stats(await polling.stop());
      printJson({
        benchmark: 'report-load',
        machine: machine(),
        people: PEOPLE,
        concurrent_reports: REPORTS,
        in_loop_peer: peer,
        api: {
          statuses: answers.map((a) => a.status),
          html_mb: round(answers[0]!.bytes / 1e6, 1),
          ms,
          idle_rss_mb: idleRss,
          peak_rss_mb: processMemoryMb(api.pid, 'VmHWM'),
          live_during_reports: live,
        },
      });
    } finally {
      await api.stop();
    }
  } finally {
    await removeBenchData(db, prefix, schema);
  }
}

await main();
