/**
 * The API while it reads a 50 MB CSV upload of each hostile shape: its peak RSS (VmHWM of a fresh
 * `insights api` process per shape) and the latency of `/api/health/live` polled meanwhile, with
 * the same process's idle RSS and idle /live latency as the peer. Shapes: blank lines around two
 * rows (accepted), CR-only line ends past INSIGHTS_MAX_EMPLOYEES (refused 413), LF rows past it
 * (413), 200,000 wide rows filling the body (accepted), one huge field (refused 422).
 * Needs Redis and PostgreSQL on localhost and `npm run build`.
 * Run: npx tsx bench/upload-shapes.ts [--mb 50] [--shape NAME]
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { createPool, Store } from '../packages/store/src/index.ts';
import { startApi } from './lib/api-process.ts';
import { pollLive, processMemoryMb } from './lib/live-poll.ts';
import { machine, printJson, round } from './lib/report.ts';
import { DATABASE_URL, numberOption, option, REDIS_URL, removeBenchData } from './lib/services.ts';

const MB = numberOption('--mb', 50);
const ONLY = option('--shape', '');
const BYTES = Math.floor(MB * 1e6);
const HEADER = 'employee_id,red_energy,blue_energy,green_energy,yellow_energy';

/** A body as chunks of about 64 KB, generated as it is sent: the benchmark holds none of it. */
type Shape = { name: string; expect: number; query: string; chunks: () => Generator<string> };

function* filled(first: string, unit: (i: number) => string, last = ''): Generator<string> {
  let sent = first.length + last.length;
  yield first;
  let i = 0;
  while (sent < BYTES) {
    let chunk = '';
    while (chunk.length < 65_536 && sent + chunk.length < BYTES) chunk += unit(i++);
    if (chunk === '') break;
    sent += chunk.length;
    yield chunk;
  }
  if (last) yield last;
}

const row = (i: number, eol: string) => `p${i},${10 + (i % 40)},${20 + (i % 13)},${30 - (i % 17)},${25 + (i % 7)}${eol}`;
const SHAPES: Shape[] = [
  { name: 'blank-lines', expect: 202, query: 'clusters=2', chunks: () => filled(`${HEADER}\nE1,1,2,3,4\n`, () => '\r\n'.repeat(1024), 'E2,4,3,2,1\n') },
  { name: 'cr-only-rows', expect: 413, query: '', chunks: () => filled(`${HEADER}\r`, (i) => row(i, '\r')) },
  { name: 'lf-rows', expect: 413, query: '', chunks: () => filled(`${HEADER}\n`, (i) => row(i, '\n')) },
  {
    name: 'wide-rows-200k',
    expect: 202,
    query: 'method=kmeans',
    chunks: function* () {
      const pad = 'x'.repeat(Math.max(1, Math.floor(BYTES / 200_000) - 40));
      yield `${HEADER},note\n`;
      let chunk = '';
      for (let i = 0; i < 200_000; i++) {
        chunk += `${row(i, '')},${pad}\n`;
        if (chunk.length > 65_536) {
          yield chunk;
          chunk = '';
        }
      }
      yield chunk;
    },
  },
  { name: 'one-huge-field', expect: 422, query: '', chunks: () => filled(`${HEADER},note\nE1,1,2,3,4,`, () => 'y'.repeat(4096), '\n') },
];

function stats(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (p: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN, 1);
  return { samples: times.length, p50_ms: at(0.5), p99_ms: at(0.99), max_ms: round(sorted.at(-1) ?? NaN, 1), over_100ms: times.filter((t) => t > 100).length };
}

/** Sends the shape with a Content-Length, honouring backpressure; resolves with the status and bytes sent. */
async function upload(port: number, token: string, shape: Shape): Promise<{ status: number; sent: number; ms: number; code?: string }> {
  let length = 0;
  for (const chunk of shape.chunks()) length += Buffer.byteLength(chunk);
  const started = performance.now();
  return new Promise((resolve) => {
    let sent = 0;
    // The API may answer a refusal before the body is all sent, and then close: the answer counts, the reset after it does not.
    let answered = false;
    const request = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: `/api/v1/jobs/clustering?${shape.query}`,
        agent: false,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv', 'content-length': length },
      },
      (response) => {
        answered = true;
        let body = '';
        response.setEncoding('utf8').on('data', (text: string) => (body += text));
        response.on('end', () => {
          let code: string | undefined;
          try {
            code = (JSON.parse(body) as { code?: string }).code;
          } catch {
            code = undefined;
          }
          resolve({ status: response.statusCode!, sent, ms: round(performance.now() - started, 0), ...(code ? { code } : {}) });
        });
      },
    );
    request.on('error', (error: NodeJS.ErrnoException) => {
      if (!answered) resolve({ status: 0, sent, ms: round(performance.now() - started, 0), code: error.code ?? 'ERROR' });
    });
    void (async () => {
      for (const chunk of shape.chunks()) {
        if (request.destroyed) return;
        sent += Buffer.byteLength(chunk);
        if (!request.write(chunk)) await new Promise((resolve) => request.once('drain', resolve));
      }
      request.end();
    })().catch(() => undefined);
  });
}

async function main(): Promise<void> {
  const schema = `bench_upload_${randomBytes(4).toString('hex')}`;
  const prefix = `bench-upload-${randomBytes(4).toString('hex')}`;
  const db = createPool(DATABASE_URL, { max: 2 });
  const store = new Store(db, schema);
  await store.migrate();
  const token = (await store.createToken('bench', 'bench')).token;
  const env = {
    ...process.env,
    REDIS_URL,
    DATABASE_URL,
    DATABASE_SCHEMA: schema,
    QUEUE_PREFIX: prefix,
    INSIGHTS_API_HOST: '127.0.0.1',
    INSIGHTS_METRICS_HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
  };
  const results = [];
  try {
    for (const shape of SHAPES.filter((s) => ONLY === '' || s.name === ONLY)) {
      const api = await startApi(env);
      try {
        const idlePoll = pollLive(api.port);
        await new Promise((resolve) => setTimeout(resolve, 1000));
        const idle = stats(await idlePoll.stop());
        const idleRss = processMemoryMb(api.pid, 'VmRSS');
        const busyPoll = pollLive(api.port);
        const answer = await upload(api.port, token, shape);
        const busy = stats(await busyPoll.stop());
        results.push({
          shape: shape.name,
          body_mb: MB,
          expected_status: shape.expect,
          ...answer,
          idle_rss_mb: idleRss,
          peak_rss_mb: processMemoryMb(api.pid, 'VmHWM'),
          live_idle: idle,
          live_during_upload: busy,
        });
        process.stderr.write(`${JSON.stringify(results.at(-1))}\n`);
      } finally {
        await api.stop();
      }
    }
    printJson({ benchmark: 'upload-shapes', machine: machine(), results, live_max_under_100ms: results.every((r) => r.live_during_upload.max_ms < 100) });
  } finally {
    await removeBenchData(db, prefix, schema);
  }
}

await main();
