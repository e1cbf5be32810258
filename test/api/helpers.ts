import { Writable } from 'node:stream';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import { pino, type Logger } from 'pino';
import { AuditTrail, buildApp, createApiMetrics, loadApiConfig, type ApiConfig, type ApiDeps } from '@insights/api';
import type { CreatedToken } from '@insights/store';
import { loadWorkerConfig, startWorker, type RunningWorker } from '@insights/worker';
import { FleetEnv } from '../helpers/fleet.js';
import type { LogLine } from '../helpers/fleet-worker.js';
import { deleteKeys } from '../helpers/redis-keys.js';
import { DATABASE_URL, REDIS_URL } from '../helpers/services.js';

/** Every JSON line a pino logger wrote, parsed. */
export class LogSink {
  readonly lines: LogLine[] = [];
  readonly text: string[] = [];
  readonly stream = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        this.text.push(line);
        this.lines.push(JSON.parse(line) as LogLine);
      }
      done();
    },
  });
  logger(level = 'info'): Logger {
    return pino({ level }, this.stream);
  }
}

/** A built API on an isolated fleet (queue prefix and schema of its own), with its logs captured. */
export interface TestApi {
  app: FastifyInstance;
  audit: AuditTrail;
  redis: Redis;
  logs: LogSink;
  auditLogs: LogSink;
  deps: ApiDeps;
  close(): Promise<void>;
}

/**
 * An API test environment: a FleetEnv (prefix, schema, pool, cleanup) plus apps built on it with
 * `buildApp`, tokens, and in-process workers to finish jobs.
 */
export class ApiEnv {
  readonly fleet = new FleetEnv();
  private readonly apis: TestApi[] = [];
  private readonly workers: RunningWorker[] = [];

  get schema(): string {
    return this.fleet.schema;
  }

  get prefix(): string {
    return this.fleet.prefix;
  }

  get store() {
    return this.fleet.store;
  }

  get db() {
    return this.fleet.db;
  }

  /** Creates the schema; call in `before`. */
  setUp(): Promise<void> {
    return this.fleet.setUp();
  }

  /** The configuration of an API listening on free loopback ports on this environment, with `extra` on top. */
  listeningConfig(extra: Record<string, string> = {}): ApiConfig {
    return loadApiConfig({
      REDIS_URL,
      DATABASE_URL,
      DATABASE_SCHEMA: this.schema,
      QUEUE_PREFIX: this.prefix,
      INSIGHTS_API_PORT: '0',
      INSIGHTS_API_HOST: '127.0.0.1',
      INSIGHTS_METRICS_PORT: '0',
      INSIGHTS_METRICS_HOST: '127.0.0.1',
      ...extra,
    });
  }

  /** An app on this environment; `env` overrides configuration (limits, Redis URL …). */
  async api(env: Record<string, string> = {}): Promise<TestApi> {
    const config = loadApiConfig({ REDIS_URL, DATABASE_URL, DATABASE_SCHEMA: this.schema, QUEUE_PREFIX: this.prefix, LOG_LEVEL: 'info', ...env });
    const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1 });
    redis.on('error', () => undefined);
    const logs = new LogSink();
    const auditLogs = new LogSink();
    const log = logs.logger();
    const audit = new AuditTrail(this.store, auditLogs.logger(), log);
    const deps: ApiDeps = { config, log, db: this.db, redis, audit, metrics: createApiMetrics({ api: this.db }) };
    const app = buildApp(deps);
    await app.ready();
    const api: TestApi = {
      app,
      audit,
      redis,
      logs,
      auditLogs,
      deps,
      async close() {
        await app.close();
        await audit.close();
        redis.disconnect();
      },
    };
    this.apis.push(api);
    return api;
  }

  /** A token of an organisation. */
  token(organization: string, name = 'test'): Promise<CreatedToken> {
    return this.store.createToken(organization, name);
  }

  /** Starts a worker in this process (one thread) that finishes this environment's jobs. */
  async worker(): Promise<RunningWorker> {
    const config = loadWorkerConfig({
      REDIS_URL,
      DATABASE_URL,
      DATABASE_SCHEMA: this.schema,
      QUEUE_PREFIX: this.prefix,
      WORKER_METRICS_PORT: '0',
      WORKER_METRICS_HOST: '127.0.0.1',
      WORKER_CONCURRENCY: '1',
      WORKER_THREADS: '1',
      WORKER_DRAIN_TIMEOUT_MS: '1000',
    });
    const worker = await startWorker(config, pino({ level: 'silent' }));
    this.workers.push(worker);
    return worker;
  }

  /** Ends a test: closes its apps and workers, empties the prefix. Call in `afterEach`. */
  async reset(): Promise<void> {
    await Promise.all(this.apis.splice(0).map((api) => api.close()));
    await Promise.all(this.workers.splice(0).map((worker) => worker.stop()));
    await this.fleet.reset();
  }

  /** Ends the file: `reset`, drops the schema, closes connections. Call in `after`. */
  async tearDown(): Promise<void> {
    await Promise.all(this.apis.splice(0).map((api) => api.close()));
    await Promise.all(this.workers.splice(0).map((worker) => worker.stop()));
    await this.fleet.tearDown();
  }

  /** Deletes the rate-limit and idempotency keys (and every other key) of this prefix. */
  clearRedis(): Promise<number> {
    return deleteKeys(this.fleet.redis, `${this.prefix}:*`);
  }
}

/** Authorization header of a token. */
export function bearer(token: CreatedToken | string): Record<string, string> {
  return { authorization: `Bearer ${typeof token === 'string' ? token : token.token}` };
}

/** Submits a CSV through `inject`. */
export function submitCsv(
  app: FastifyInstance,
  token: CreatedToken,
  kind: 'clustering' | 'team-formation',
  csv: string,
  query: Record<string, string> = {},
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url: `/api/v1/jobs/${kind}`,
    query,
    payload: csv,
    headers: { ...bearer(token), 'content-type': 'text/csv', ...headers },
  });
}

/** A problem+json answer, checked for its shape. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: string[];
  request_id: string;
}

/** Parses a problem answer, checking the media type and that status and code agree. */
export function problemOf(response: LightMyRequestResponse | { statusCode: number; headers: Record<string, unknown>; body: string }): ProblemBody {
  const type = String(response.headers['content-type']);
  if (!type.startsWith('application/problem+json')) throw new Error(`expected application/problem+json, got ${type}: ${response.body}`);
  const body = JSON.parse(response.body) as ProblemBody;
  if (body.status !== response.statusCode) throw new Error(`problem status ${body.status} differs from the response's ${response.statusCode}`);
  if (/\bat .+:\d+:\d+/.test(response.body)) throw new Error(`a stack trace reached the client: ${response.body}`);
  return body;
}

/** An API test file's environment and the app of the test running. */
export interface ApiSuite {
  readonly env: ApiEnv;
  /** The app of the current test (built anew before each). */
  readonly api: TestApi;
}

/**
 * Registers the hooks of an API test file: one environment for the file, a fresh app (with these
 * configuration overrides) before each test, a reset after each.
 */
export function apiSuite(config: Record<string, string> = {}): ApiSuite {
  const env = new ApiEnv();
  let current: TestApi | undefined;
  before(() => env.setUp());
  beforeEach(async () => {
    current = await env.api(config);
  });
  afterEach(() => env.reset());
  after(() => env.tearDown());
  return {
    env,
    get api() {
      if (!current) throw new Error('the app is built in a beforeEach hook: use it inside tests');
      return current;
    },
  };
}
