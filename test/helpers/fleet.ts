import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { QUEUE_NAMES, type QueueName } from '@insights/jobs';
import { InsightsClient } from '@insights/producer';
import { createPool, Store } from '@insights/store';
import { FleetWorker } from './fleet-worker.js';
import { QueueRecorder } from './queue-recorder.js';
import { deleteKeys } from './redis-keys.js';
import { CLI, type CliRun } from './run-cli.js';
import { DATABASE_URL, REDIS_URL } from './services.js';
import { tempFolder } from './temp-files.js';

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
