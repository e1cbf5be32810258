import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { generateSynthetic, type SyntheticScenario } from '@insights/core';
import { QUEUE_NAMES, type QueueName } from '@insights/jobs';
import { InsightsClient } from '@insights/producer';
import { createPool, Store } from '@insights/store';
import { LoggedProcess, type ProcessExit } from './processes.js';
import { CLI, type CliRun } from './run-cli.js';
import { tempFolder } from './temp-files.js';

/** Real services of the fleet tests; `TEST_REDIS_URL` and `TEST_DATABASE_URL` point them elsewhere. */
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** One JSON line a worker logged with pino. */
export type LogLine = Record<string, unknown> & { msg?: string; level?: number };

/** How a process ended. */
export type Exit = ProcessExit;

/** A line to wait for: a predicate plus what it means, for the timeout message. */
export interface WaitOptions {
  /** Fails after this long (default 30 s). */
  timeoutMs?: number;
  /** Only lines logged at or after this index of `logs` count (default 0: every line so far). */
  since?: number;
  /** What is awaited, for the failure message. */
  what?: string;
}

const DEFAULT_WAIT_MS = 30_000;

/**
 * A worker process (`insights worker`) whose output is read line by line as pino JSON. Every wait
 * is event-driven and has a timeout whose error shows the last lines.
 */
export class FleetWorker {
  private readonly process: LoggedProcess;

  constructor(
    readonly name: string,
    env: NodeJS.ProcessEnv,
  ) {
    this.process = new LoggedProcess(`worker ${name}`, process.execPath, [CLI, 'worker'], env);
  }

  /** Every line written so far, parsed (a line that is not JSON is kept as `{ raw }`). */
  get logs(): LogLine[] {
    return this.process.lines;
  }

  /** Everything written to stderr. */
  get stderr(): string {
    return this.process.stderr;
  }

  /** Resolves when the process has exited, with its exit code or signal. */
  get exited(): Promise<Exit> {
    return this.process.exited;
  }

  get pid(): number {
    return this.process.pid;
  }

  /** Whether the process is still running. */
  get running(): boolean {
    return this.process.running;
  }

  /** The port of /metrics and /health, from the 'worker ready' line. */
  get port(): number {
    const ready = this.logs.find((line) => line.msg === 'worker ready');
    if (typeof ready?.port !== 'number') throw new Error(`worker ${this.name} has not logged its port yet\n${this.process.tail()}`);
    return ready.port;
  }

  /** The lines with this message, optionally of one job. */
  lines(msg: string, jobId?: string): LogLine[] {
    return this.logs.filter((line) => line.msg === msg && (jobId === undefined || line.job_id === jobId));
  }

  /**
   * The first line (from `since`, default every line so far) that matches: one already logged,
   * or the next to come. Rejects on timeout or when the process exits first.
   */
  waitForLog(test: (line: LogLine) => boolean, options: WaitOptions = {}): Promise<LogLine> {
    return this.process.waitFor(test, options.what ?? test.toString(), { since: options.since, timeoutMs: options.timeoutMs ?? DEFAULT_WAIT_MS });
  }

  /** Waits for a line with this message (and job id, when given). */
  waitForMessage(msg: string, jobId?: string, options: WaitOptions = {}): Promise<LogLine> {
    return this.waitForLog((line) => line.msg === msg && (jobId === undefined || line.job_id === jobId), {
      what: `'${msg}'${jobId ? ` for job ${jobId}` : ''}`,
      ...options,
    });
  }

  /** Sends a signal (no-op once the process has exited). */
  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    this.process.signal(signal);
  }

  /** Waits for the exit, failing after `timeoutMs`. */
  waitForExit(timeoutMs = DEFAULT_WAIT_MS): Promise<Exit> {
    return this.process.waitForExit(timeoutMs);
  }

  /** Kills the process if it still runs and waits for it to be gone. */
  stop(): Promise<void> {
    return this.process.kill();
  }
}

/** One event of a queue's event stream. */
export interface QueueEvent {
  event: string;
  jobId: string;
  payload: Record<string, unknown>;
}

const RECORDED_EVENTS = ['active', 'progress', 'completed', 'failed', 'delayed', 'waiting', 'stalled', 'retries-exhausted'] as const;

/** Records a queue's events and lets a test wait for one, already seen or to come. */
export class QueueRecorder {
  readonly seen: QueueEvent[] = [];
  private readonly waiters = new Set<{ test(e: QueueEvent): boolean; resolve(e: QueueEvent): void }>();

  constructor(readonly events: QueueEvents) {
    for (const event of RECORDED_EVENTS) {
      (events as unknown as { on(name: string, listener: (payload: Record<string, unknown>) => void): void }).on(event, (payload) => {
        const recorded = { event, jobId: String(payload.jobId), payload };
        this.seen.push(recorded);
        for (const waiter of this.waiters) {
          if (waiter.test(recorded)) {
            this.waiters.delete(waiter);
            waiter.resolve(recorded);
          }
        }
      });
    }
  }

  /** The first event `test` accepts, failing after `timeoutMs` with the events seen for context. */
  waitFor(test: (e: QueueEvent) => boolean, what: string, timeoutMs = DEFAULT_WAIT_MS): Promise<QueueEvent> {
    const seen = this.seen.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const tail = this.seen.slice(-10).map((e) => `    ${e.event} ${e.jobId} ${JSON.stringify(e.payload).slice(0, 200)}`);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n  last queue events:\n${tail.join('\n') || '    (none)'}`));
      }, timeoutMs);
      const waiter = {
        test,
        resolve: (e: QueueEvent) => {
          clearTimeout(timer);
          resolve(e);
        },
      };
      this.waiters.add(waiter);
    });
  }

  /**
   * How a job's first attempt ended: 'completed', 'failed' (for good), or 'delayed' / 'waiting'
   * (put back for another attempt).
   */
  outcome(jobId: string, timeoutMs = DEFAULT_WAIT_MS): Promise<QueueEvent> {
    return this.waitFor(
      (e) => e.jobId === jobId && (['completed', 'failed', 'delayed'].includes(e.event) || (e.event === 'waiting' && e.payload.prev === 'failed')),
      `the first attempt of job ${jobId} to end`,
      timeoutMs,
    );
  }

  /** Closes the listener (and the connection it duplicated). */
  close(): Promise<void> {
    return this.events.close();
  }
}

/** A parsed Prometheus text exposition: samples by metric name, each with its labels. */
export type Exposition = Map<string, { labels: Record<string, string>; value: number }[]>;

/**
 * Parses the Prometheus text format (comments skipped, labels unescaped, NaN/±Inf understood;
 * prom-client writes NaN as `Nan`, which Prometheus also accepts).
 */
export function parseExposition(text: string): Exposition {
  const metrics: Exposition = new Map();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+\d+)?$/.exec(line);
    if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    const labelText = match[3] ?? '';
    const labelPattern = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?\s*/gy;
    let consumed = 0;
    for (let label = labelPattern.exec(labelText); label; label = labelPattern.exec(labelText)) {
      labels[label[1]!] = label[2]!.replace(/\\(["\\n])/g, (_, c: string) => (c === 'n' ? '\n' : c));
      consumed = labelPattern.lastIndex;
    }
    if (consumed !== labelText.length) throw new Error(`bad labels in Prometheus sample line: ${line}`);
    const valueText = match[4]!;
    const value = valueText === '+Inf' ? Infinity : valueText === '-Inf' ? -Infinity : Number(valueText);
    if (Number.isNaN(value) && valueText.toLowerCase() !== 'nan') throw new Error(`bad value in Prometheus sample line: ${line}`);
    const samples = metrics.get(match[1]!) ?? [];
    samples.push({ labels, value });
    metrics.set(match[1]!, samples);
  }
  return metrics;
}

/** The value of a metric's only sample (or of the sample with these labels). */
export function sampleOf(exposition: Exposition, name: string, labels: Record<string, string> = {}): number {
  const samples = (exposition.get(name) ?? []).filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (samples.length !== 1) throw new Error(`expected one sample of ${name}${JSON.stringify(labels)}, found ${samples.length}`);
  return samples[0]!.value;
}

/** A CSV of synthetic people, as the producer and the CLI read it. */
export function syntheticCsv(n: number, seed = 7, scenario: SyntheticScenario = 'separated'): string {
  const population = generateSynthetic(scenario, n, seed);
  const lines = ['employee_id,red_energy,blue_energy,green_energy,yellow_energy'];
  for (let i = 0; i < n; i++) {
    const energies = Array.from(population.energies.subarray(i * 4, i * 4 + 4), (v) => v.toFixed(2));
    lines.push(`${population.ids[i]},${energies.join(',')}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * An isolated fleet for one test file: a random queue prefix and database schema (migrated at
 * once, so data can be stored before any worker runs), a client on both, worker processes on
 * both, and cleanup of all of it.
 */
export class FleetEnv {
  readonly prefix = `fleet-test-${randomBytes(5).toString('hex')}`;
  readonly schema = `fleet_test_${randomBytes(5).toString('hex')}`;
  readonly redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  private readonly clientRedis = new Redis(REDIS_URL, { maxRetriesPerRequest: null, lazyConnect: true });
  readonly db = createPool(DATABASE_URL, { max: 4, applicationName: 'insights-fleet-test' });
  /** The store on this fleet's schema. */
  readonly store = new Store(this.db, this.schema);
  readonly files = tempFolder('fleet');
  private readonly workers: FleetWorker[] = [];
  private readonly rawQueues = new Map<QueueName, Queue>();
  private readonly recorders = new Map<QueueName, QueueRecorder>();
  private current: InsightsClient | undefined;
  private count = 0;

  /** Creates the schema; call in `before`. */
  async setUp(): Promise<void> {
    await this.store.migrate();
  }

  /**
   * An `InsightsClient` on this fleet's prefix and schema (made anew after each `reset`). Its Redis
   * connects lazily, as the CLI's does: `waitForResult` hands QueueEvents a duplicate it never
   * uses, and a lazy duplicate never opens a socket that would keep the test process alive.
   */
  get client(): InsightsClient {
    return (this.current ??= new InsightsClient({ redis: this.clientRedis, db: this.db, prefix: this.prefix, schema: this.schema }));
  }

  /** The environment of a process of this fleet (worker or CLI), with `extra` on top. */
  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      REDIS_URL,
      DATABASE_URL,
      DATABASE_SCHEMA: this.schema,
      QUEUE_PREFIX: this.prefix,
      LOG_LEVEL: 'info',
      WORKER_METRICS_PORT: '0',
      WORKER_METRICS_HOST: '127.0.0.1',
      WORKER_CONCURRENCY: '1',
      WORKER_THREADS: '1',
      ...extra,
    };
    delete env.NODE_OPTIONS;
    return env;
  }

  /** Spawns a worker without waiting for it to be ready. */
  spawnWorker(extra: Record<string, string> = {}): FleetWorker {
    const worker = new FleetWorker(`w${++this.count}`, this.env(extra));
    this.workers.push(worker);
    return worker;
  }

  /** Spawns a worker and waits for its 'worker ready' line. */
  async startWorker(extra: Record<string, string> = {}): Promise<FleetWorker> {
    const worker = this.spawnWorker(extra);
    await worker.waitForMessage('worker ready', undefined, { timeoutMs: 20_000 });
    return worker;
  }

  /** A raw BullMQ queue on this fleet's prefix (one per name), closed by `reset`. */
  queue(name: QueueName): Queue {
    let queue = this.rawQueues.get(name);
    if (!queue) {
      queue = new Queue(name, { connection: this.redis, prefix: this.prefix });
      this.rawQueues.set(name, queue);
    }
    return queue;
  }

  /**
   * Starts recording a queue's events (one recorder per queue, closed by `reset`). Record before
   * the awaited event can happen: QueueEvents only sees events from when it is ready.
   */
  async record(name: QueueName): Promise<QueueRecorder> {
    let recorder = this.recorders.get(name);
    if (!recorder) {
      // QueueEvents blocks on a connection of its own: it duplicates the one it is given.
      recorder = new QueueRecorder(new QueueEvents(name, { connection: this.redis, prefix: this.prefix }));
      this.recorders.set(name, recorder);
    }
    await recorder.events.waitUntilReady();
    return recorder;
  }

  /** Rows of `job_results` for a job. */
  async resultRows(jobId: string): Promise<number> {
    const { rows } = await this.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${pg.escapeIdentifier(this.schema)}.job_results WHERE job_id = $1`, [jobId]);
    return Number(rows[0]!.n);
  }

  /** Rows of a table of this fleet's schema. */
  async rowCount(table: 'job_results' | 'datasets'): Promise<number> {
    const { rows } = await this.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${pg.escapeIdentifier(this.schema)}.${pg.escapeIdentifier(table)}`);
    return Number(rows[0]!.n);
  }

  /** Jobs of both queues in any state. */
  async jobCount(): Promise<number> {
    let total = 0;
    for (const name of QUEUE_NAMES) {
      total += Object.values(await this.queue(name).getJobCounts()).reduce((a, b) => a + b, 0);
    }
    return total;
  }

  /** Runs `insights ARGS…` against this fleet (with `extra` on top of its environment) and waits for it to exit. */
  cli(args: string[], timeoutMs = 60_000, extra: Record<string, string> = {}): Promise<CliRun> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, ...args], { env: this.env(extra), stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`insights ${args.join(' ')} did not exit within ${timeoutMs} ms\n  stdout: ${stdout.slice(-2000)}\n  stderr: ${stderr.slice(-2000)}`));
      }, timeoutMs);
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (status) => {
        clearTimeout(timer);
        resolve({ status, stdout, stderr });
      });
    });
  }

  /**
   * Ends a test: kills its workers, closes the client and raw queues, and deletes every Redis key
   * of the prefix, so the next test starts on empty queues. Call in `afterEach`.
   */
  async reset(): Promise<void> {
    await Promise.all(this.workers.splice(0).map((worker) => worker.stop()));
    await Promise.all([...this.rawQueues.values()].map((queue) => queue.close()));
    this.rawQueues.clear();
    await Promise.all([...this.recorders.values()].map((recorder) => recorder.close()));
    this.recorders.clear();
    await this.current?.close();
    this.current = undefined;
    await deleteKeys(this.redis, `${this.prefix}:*`);
  }

  /** Ends the test file: `reset`, then drops the schema and closes the connections. Call in `after`. */
  async tearDown(): Promise<void> {
    try {
      await this.reset();
    } finally {
      await this.db.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(this.schema)} CASCADE`);
      await this.db.end();
      await this.redis.quit().catch(() => this.redis.disconnect());
      if (this.clientRedis.status === 'wait') this.clientRedis.disconnect();
      else await this.clientRedis.quit().catch(() => this.clientRedis.disconnect());
      this.files.cleanup();
    }
  }
}

/**
 * Checks a condition until it holds, failing after `timeoutMs` with `what`. Only for state that
 * no event announces (the connections Redis lists); everything else is awaited by event.
 */
export async function eventually(check: () => Promise<boolean>, what: () => string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Ids of the Redis connections with this client name. */
export async function connectionsNamed(redis: Redis, name: string): Promise<string[]> {
  const list = (await redis.client('LIST')) as string;
  return list
    .split('\n')
    .filter((line) => line.includes(` name=${name} `))
    .map((line) => /(?:^|\s)id=(\d+)/.exec(line)![1]!);
}

/** Deletes every key matching a pattern, with SCAN (never KEYS) and UNLINK. */
export async function deleteKeys(redis: Redis, pattern: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}
