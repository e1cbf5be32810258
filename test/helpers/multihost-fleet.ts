import { Queue, type Job } from 'bullmq';
import type { Cluster } from 'ioredis';
import pg from 'pg';
import { QUEUES } from '@insights/jobs';
import { createPool, Store } from '@insights/store';
import { parseExposition, type Exposition } from './exposition.js';
import { syntheticCsv } from './synthetic-csv.js';
import { Network, type Host } from './netns.js';
import { NetnsPostgres } from './netns-postgres.js';
import { NetnsRedisCluster } from './netns-redis-cluster.js';
import type { LoggedProcess } from './processes.js';
import { type Line } from './processes.js';
import { CLI } from './run-cli.js';

const API_PORT = 18_300;
const API_METRICS_PORT = 18_301;
const WORKER_METRICS_PORT = 18_400;
const EXPORTER_PORT = 18_500;
const SCHEMA = 'insights';
const ORGANIZATION = 'multihost';

/** What one submission through the API gave: the HTTP status, the job id when accepted, the time to answer. */
export interface Submission {
  status: number;
  id?: string;
  code?: string;
  ms: number;
}

/** How the accepted jobs ended, checked against the invariant. */
export interface Outcome {
  accepted: number;
  completed: number;
  /** Failed jobs with their failure code. */
  failed: { id: string; code: string }[];
  /** Result rows of the accepted jobs (one per completed job when the invariant holds). */
  rows: number;
  /** Starts beyond the first, across all workers ('job started' lines). */
  reruns: number;
  /** Accepted jobs that Redis no longer knows, with no result row. */
  lost: string[];
}

/** The default population of a job: small, so that the suite stays quick on two cores. */
const PEOPLE = 60;

/**
 * A fleet spread over hosts on one machine (see Network): three Redis hosts holding a Redis
 * Cluster (three masters, each with a replica on another host), a PostgreSQL host, an API host,
 * three worker hosts and an exporter host, each running the real `insights` process built from
 * this repository. The test process reaches every host over its own link.
 */
export class MultiHostFleet {
  readonly network = new Network();
  readonly prefix = `{mh${process.pid}}`;
  redisHosts: Host[] = [];
  workerHosts: Host[] = [];
  pgHost!: Host;
  apiHost!: Host;
  exporterHost!: Host;
  cluster!: NetnsRedisCluster;
  postgres!: NetnsPostgres;
  db!: pg.Pool;
  redis!: Cluster;
  api: LoggedProcess | undefined;
  exporter: LoggedProcess | undefined;
  /** Worker processes by host (the latest on each host). */
  readonly workers = new Map<Host, LoggedProcess>();
  /** Every insights process started, for the exit check. */
  readonly processes: LoggedProcess[] = [];
  /** Ids of the jobs the API accepted (202). */
  readonly accepted: string[] = [];
  private token = '';
  private queues: Queue[] = [];
  private readonly workerEnv: Record<string, string>;

  constructor(workerEnv: Record<string, string> = {}) {
    this.workerEnv = workerEnv;
  }

  /** Builds the hosts, starts Redis and PostgreSQL, migrates the schema and makes a token. */
  async setUp(): Promise<void> {
    this.network.create();
    this.redisHosts = [1, 2, 3].map((i) => this.network.addHost(`redis${i}`, 10 + i));
    this.pgHost = this.network.addHost('pg', 20);
    this.apiHost = this.network.addHost('api', 30);
    this.workerHosts = [1, 2, 3].map((i) => this.network.addHost(`worker${i}`, 40 + i));
    this.exporterHost = this.network.addHost('exporter', 50);
    this.cluster = new NetnsRedisCluster(this.redisHosts);
    this.postgres = new NetnsPostgres(this.pgHost);
    await Promise.all([this.cluster.start(), this.postgres.start()]);
    this.db = createPool(this.postgres.url, { max: 4, applicationName: 'insights-multihost-test' });
    const store = new Store(this.db, SCHEMA);
    await store.migrate();
    this.token = (await store.createToken(ORGANIZATION, 'multihost')).token;
    this.redis = this.cluster.client();
    this.redis.on('error', () => undefined);
    this.queues = [QUEUES.clustering, QUEUES.teamFormation].map((name) => new Queue(name, { connection: this.redis, prefix: this.prefix }));
  }

  /** The environment of an insights process of this fleet, `extra` on top. */
  env(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      REDIS_URL: this.cluster.url,
      REDIS_CLUSTER: 'true',
      DATABASE_URL: this.postgres.url,
      DATABASE_SCHEMA: SCHEMA,
      QUEUE_PREFIX: this.prefix,
      LOG_LEVEL: 'info',
      ...extra,
    };
    delete env.NODE_OPTIONS;
    return env;
  }

  /** Starts `insights api` on the API host and waits until it is ready. */
  async startApi(): Promise<LoggedProcess> {
    const host = this.apiHost;
    this.api = this.insights(host, 'api', {
      INSIGHTS_API_PORT: String(API_PORT),
      INSIGHTS_API_HOST: host.address,
      INSIGHTS_METRICS_PORT: String(API_METRICS_PORT),
      INSIGHTS_METRICS_HOST: host.address,
      INSIGHTS_RATE_LIMIT_PER_MINUTE: '100000',
    });
    await this.api.waitForLog({ msg: 'api ready' }, { timeoutMs: 90_000 });
    return this.api;
  }

  /**
   * Starts `insights worker` on a worker host (short locks and stall checks, so that a lost
   * worker's job is re-run within seconds) and waits until it takes jobs.
   */
  async startWorker(host: Host, extra: Record<string, string> = {}): Promise<LoggedProcess> {
    const worker = this.insights(host, 'worker', {
      WORKER_METRICS_PORT: String(WORKER_METRICS_PORT),
      WORKER_METRICS_HOST: host.address,
      WORKER_CONCURRENCY: '1',
      WORKER_THREADS: '1',
      WORKER_LOCK_MS: '2000',
      WORKER_STALLED_INTERVAL_MS: '1000',
      WORKER_DRAIN_TIMEOUT_MS: '5000',
      WORKER_DB_QUERY_TIMEOUT_MS: '5000',
      ...this.workerEnv,
      ...extra,
    });
    this.workers.set(host, worker);
    await worker.waitForLog({ msg: 'worker ready' }, { timeoutMs: 90_000 });
    return worker;
  }

  /** Starts the three workers. */
  async startWorkers(): Promise<void> {
    await Promise.all(this.workerHosts.map((host) => this.startWorker(host)));
  }

  /** Starts `insights exporter` on the exporter host and waits until it listens to the queue events. */
  async startExporter(): Promise<LoggedProcess> {
    const host = this.exporterHost;
    this.exporter = this.insights(host, 'exporter', { INSIGHTS_EXPORTER_PORT: String(EXPORTER_PORT), INSIGHTS_EXPORTER_HOST: host.address });
    await this.exporter.waitForLog({ msg: 'listening to queue events' }, { timeoutMs: 90_000 });
    return this.exporter;
  }

  /** One scrape of the exporter's /metrics from the test process. */
  async scrapeExporter(): Promise<Exposition> {
    const response = await fetch(`http://${this.exporterHost.address}:${EXPORTER_PORT}/metrics`, { signal: AbortSignal.timeout(10_000) });
    if (response.status !== 200) throw new Error(`exporter /metrics answered ${response.status}`);
    return parseExposition(await response.text());
  }

  /** Submits a clustering job of `people` people through the API; an accepted job is remembered. */
  async submit(people = PEOPLE, seed = 1, method = 'kmeans'): Promise<Submission> {
    const started = performance.now();
    const url = `http://${this.apiHost.address}:${API_PORT}/api/v1/jobs/clustering?method=${method}&clusters=3&stability_runs=0&seed=${seed}`;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.token}`, 'content-type': 'text/csv' },
        body: syntheticCsv(people, seed),
        signal: AbortSignal.timeout(15_000),
      });
      const body = (await response.json()) as { id?: string; code?: string };
      const ms = performance.now() - started;
      if (response.status === 202 && body.id) this.accepted.push(body.id);
      return { status: response.status, id: body.id, code: body.code, ms };
    } catch (error) {
      return { status: 0, code: (error as Error).name, ms: performance.now() - started };
    }
  }

  /** `GET /api/v1/jobs/:id` as the submitter sees it. */
  async jobStatus(id: string): Promise<{ status: number; state?: string; code?: string }> {
    const response = await fetch(`http://${this.apiHost.address}:${API_PORT}/api/v1/jobs/${id}`, {
      headers: { authorization: `Bearer ${this.token}` },
      signal: AbortSignal.timeout(15_000),
    });
    const body = (await response.json()) as { state?: string; code?: string };
    return { status: response.status, state: body.state, code: body.code };
  }

  /** Every log line of the workers (all of them, restarted ones too) with this message. */
  workerLines(msg: string): Line[] {
    return this.processes.filter((p) => p.name.startsWith('insights worker')).flatMap((p) => p.lines.filter((line) => line.msg === msg));
  }

  /**
   * Waits until every accepted job has ended (completed, or failed for good), bounded by
   * `timeoutMs`. Polled: no single event stream survives a Redis failover for every job.
   */
  async settle(timeoutMs = 90_000): Promise<number> {
    const started = Date.now();
    for (;;) {
      const states = await Promise.all(this.accepted.map((id) => this.state(id)));
      if (states.every((s) => s === 'completed' || s === 'failed' || s === 'missing')) return Date.now() - started;
      if (Date.now() - started > timeoutMs) {
        const open = this.accepted.filter((_, i) => !['completed', 'failed', 'missing'].includes(states[i]!));
        throw new Error(`timed out after ${timeoutMs} ms: jobs still open: ${open.map((id) => `${id} (${states[this.accepted.indexOf(id)]})`).join(', ')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  /** Pauses or resumes the clustering queue (workers take nothing from a paused queue). */
  async pauseClustering(paused: boolean): Promise<void> {
    if (paused) await this.queues[0]!.pause();
    else await this.queues[0]!.resume();
  }

  /** A job of the clustering queue (which must exist). */
  async job(id: string): Promise<Job> {
    const job = await this.queues[0]!.getJob(id);
    if (!job) throw new Error(`job ${id} is not in Redis`);
    return job;
  }

  /** A job's BullMQ state, or 'missing' when Redis no longer has it. */
  async state(id: string): Promise<string> {
    const job = await this.queues[0]!.getJob(id);
    if (!job) return 'missing';
    return job.getState();
  }

  /**
   * Checks the invariant once every job has ended: each accepted job has exactly one result row
   * or a coded failure, none is still waiting or running, no row belongs to a job we did not
   * accept. Returns the counts.
   */
  async outcome(): Promise<Outcome> {
    const { rows } = await this.db.query<{ job_id: string; n: string }>(
      `SELECT job_id, count(*) AS n FROM ${pg.escapeIdentifier(SCHEMA)}.job_results GROUP BY job_id`,
    );
    const rowsOf = new Map(rows.map((r) => [r.job_id, Number(r.n)]));
    const outcome: Outcome = { accepted: this.accepted.length, completed: 0, failed: [], rows: 0, reruns: 0, lost: [] };
    const problems: string[] = [];
    for (const id of this.accepted) {
      const job = await this.queues[0]!.getJob(id);
      const state = job ? await job.getState() : 'missing';
      const count = rowsOf.get(id) ?? 0;
      outcome.rows += count;
      if (state === 'completed') {
        outcome.completed++;
        if (count !== 1) problems.push(`job ${id} completed with ${count} result rows`);
      } else if (state === 'failed') {
        const code = /^([A-Z_]+):/.exec(job!.failedReason ?? '')?.[1];
        if (!code) problems.push(`job ${id} failed without a code: ${job!.failedReason}`);
        outcome.failed.push({ id, code: code ?? 'NONE' });
        if (count > 1) problems.push(`job ${id} failed with ${count} result rows`);
      } else if (state === 'missing') {
        if (count === 1) outcome.completed++;
        else outcome.lost.push(id);
        if (count > 1) problems.push(`job ${id} has ${count} result rows`);
      } else {
        problems.push(`job ${id} is stuck in ${state}`);
      }
    }
    for (const id of rowsOf.keys()) if (!this.accepted.includes(id)) problems.push(`a result row for job ${id}, which was never accepted`);
    const starts = this.workerLines('job started').filter((line) => this.accepted.includes(String(line.job_id))).length;
    outcome.reruns = Math.max(0, starts - outcome.completed - outcome.failed.length);
    if (problems.length > 0) throw new Error(`invariant broken:\n  ${problems.join('\n  ')}`);
    return outcome;
  }

  /**
   * Stops every insights process still running with SIGTERM and checks that each exits 0 in
   * time; returns how many processes had already ended (killed on purpose).
   */
  async stopProcesses(): Promise<{ stopped: number; alreadyGone: number }> {
    const running = this.processes.filter((p) => p.running);
    const exits = await Promise.all(running.map((p) => p.terminate('SIGTERM', 20_000).then((exit) => ({ p, exit }))));
    const bad = exits.filter(({ exit }) => exit.code !== 0);
    if (bad.length > 0)
      throw new Error(`processes did not exit cleanly: ${bad.map(({ p, exit }) => `${p.name} (${exit.code ?? exit.signal})\n${p.tail()}`).join('\n')}`);
    return { stopped: running.length, alreadyGone: this.processes.length - running.length };
  }

  /** The last lines of every insights process, for a failure's message. */
  tails(count = 12): string {
    return this.processes.map((p) => `  ${p.name}${p.running ? '' : ' (exited)'}:\n${p.tail(count)}`).join('\n');
  }

  /** Stops everything and removes every host, link and file; safe after a failed setUp. */
  async tearDown(): Promise<void> {
    if (process.env.MULTIHOST_DEBUG) console.log(this.tails(40));
    await Promise.all(this.processes.map((p) => p.kill()));
    await Promise.all(this.queues.map((q) => q.close().catch(() => undefined)));
    this.redis?.disconnect();
    await this.db?.end().catch(() => undefined);
    await this.cluster?.stop();
    await this.postgres?.stop();
    this.network.destroy();
  }

  private insights(host: Host, command: string, extra: Record<string, string>): LoggedProcess {
    const child = host.spawn(`insights ${command}`, process.execPath, [CLI, command], this.env(extra));
    this.processes.push(child);
    return child;
  }
}
