import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { Writable } from 'node:stream';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { pino } from 'pino';
import { QUEUE_NAMES, type QueueName } from '@insights/jobs';
import { createPool } from '@insights/store';
import { IncidentStore, type Incident, type IncidentAction } from '@insights/store/incidents';
import { loadResponderConfig, startResponder, type RunningResponder, type StartOptions } from '@insights/responder';
import type { LogLine } from '../helpers/fleet-worker.js';
import { deleteKeys } from '../helpers/redis-keys.js';
import { DATABASE_URL, REDIS_URL } from '../helpers/services.js';

/** The secret every responder test uses. */
export const SECRET = 'responder-test-secret-0123456789';

/** A moment far from the real clock, so that an injected time cannot pass for the wall clock. */
export const T0 = new Date('2031-03-01T09:00:00Z');

/** A clock the test moves by hand. */
class TestClock {
  now = T0;
  readonly read = (): Date => this.now;
  advance(ms: number): void {
    this.now = new Date(this.now.getTime() + ms);
  }
}

/**
 * A responder started in-process on its own queue prefix and database schema, logging JSON lines
 * into `logs`, with direct access to its queues, its tables and an injected clock.
 */
export class ResponderHarness {
  readonly prefix = `responder-test-${randomBytes(4).toString('hex')}`;
  readonly schema = `responder_test_${randomBytes(4).toString('hex')}`;
  readonly logs: LogLine[] = [];
  readonly clock = new TestClock();
  readonly db: pg.Pool = createPool(DATABASE_URL, { max: 3, applicationName: 'insights-responder-test' });
  /** The incident tables of the test's schema. */
  readonly store = new IncidentStore(this.db, this.schema);
  readonly redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  readonly queues = new Map(QUEUE_NAMES.map((name) => [name, new Queue(name, { connection: this.redis, prefix: this.prefix })]));
  running!: RunningResponder;

  /** Starts the responder with these variables on top of the test's own. */
  async start(env: NodeJS.ProcessEnv = {}, options: StartOptions = {}): Promise<this> {
    const config = loadResponderConfig({
      RESPONDER_SECRET: SECRET,
      RESPONDER_PORT: '0',
      RESPONDER_HOST: '127.0.0.1',
      REDIS_URL,
      DATABASE_URL,
      DATABASE_SCHEMA: this.schema,
      QUEUE_PREFIX: this.prefix,
      LOG_LEVEL: 'debug',
      ...env,
    });
    const sink = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) this.logs.push(JSON.parse(line) as LogLine);
        done();
      },
    });
    const log = pino({ level: 'debug', base: { service: 'insights-responder' } }, sink);
    this.running = await startResponder(config, log, { clock: this.clock.read, ...options });
    return this;
  }

  queue(name: QueueName): Queue {
    return this.queues.get(name)!;
  }

  /** POSTs a webhook body through `inject`, with the secret unless other headers are given. */
  post(body: unknown, headers: Record<string, string | undefined> = { authorization: `Bearer ${SECRET}` }) {
    return this.running.app.inject({ method: 'POST', url: '/alerts', headers, payload: body as object });
  }

  async incidents(): Promise<Incident[]> {
    return this.store.listIncidents({});
  }

  async actions(incidentId: string): Promise<IncidentAction[]> {
    return this.store.listIncidentActions(incidentId);
  }

  /** Every row of a table of the test's schema, in id order, for before/after comparisons. */
  async rows(table: string): Promise<Record<string, unknown>[]> {
    const order = table === 'queue_pauses' ? 'queue, incident_id' : 'id';
    return (await this.db.query(`SELECT * FROM ${pg.escapeIdentifier(this.schema)}.${pg.escapeIdentifier(table)} ORDER BY ${order}`)).rows;
  }

  async close(): Promise<void> {
    await this.running?.stop();
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    await deleteKeys(this.redis, `${this.prefix}:*`);
    await this.redis.quit();
    await this.db.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(this.schema)} CASCADE`);
    await this.db.end();
  }
}

/** One alert of a webhook, as Alertmanager sends it. */
export function alert(
  overrides: {
    status?: 'firing' | 'resolved';
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    startsAt?: string;
    endsAt?: string;
    fingerprint?: string;
  } = {},
) {
  const status = overrides.status ?? 'firing';
  return {
    status,
    labels: { alertname: 'JobsStuck', queue: 'clustering', reason: 'no-progress', severity: 'critical', service: 'worker', ...overrides.labels },
    annotations: { summary: 'Jobs of queue clustering are not making progress (no-progress)', ...overrides.annotations },
    startsAt: overrides.startsAt ?? '2031-03-01T08:40:00.000000001Z',
    endsAt: overrides.endsAt ?? (status === 'firing' ? '0001-01-01T00:00:00Z' : '2031-03-01T09:10:00Z'),
    generatorURL: 'http://prometheus:9090/graph',
    fingerprint: overrides.fingerprint ?? 'f00dfeed00000001',
  };
}

/** A version 4 webhook notification carrying these alerts. */
export function webhook(alerts: ReturnType<typeof alert>[]) {
  const status = alerts.some((a) => a.status === 'firing') ? 'firing' : 'resolved';
  return {
    version: '4',
    groupKey: '{}:{alertname="JobsStuck"}',
    truncatedAlerts: 0,
    status,
    receiver: 'responder',
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager:9093',
    alerts,
  };
}

/** A local HTTP server standing in for a Slack incoming webhook: records bodies, answers `status`. */
export class FakeSlack {
  readonly bodies: Record<string, unknown>[] = [];
  status = 200;
  private readonly server: Server = createServer((request: IncomingMessage, response) => {
    let text = '';
    request.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    request.on('end', () => {
      this.bodies.push(JSON.parse(text) as Record<string, unknown>);
      response.writeHead(this.status, { 'content-type': 'text/plain' }).end(this.status === 200 ? 'ok' : 'no_service');
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/services/T000/B000/test`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
