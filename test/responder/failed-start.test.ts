import { randomBytes } from 'node:crypto';
import type { Server } from 'node:net';
import { expect } from 'chai';
import { Redis } from 'ioredis';
import pg from 'pg';
import { pino } from 'pino';
import { loadResponderConfig, startResponder } from '@insights/responder';
import { createPool } from '@insights/store';
import { eventually } from '../helpers/eventually.js';
import { DATABASE_URL } from '../helpers/services.js';
import { LocalRedis } from '../helpers/local-redis.js';
import { freeTakenPort, takePort } from '../helpers/port-taken.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { SECRET } from './harness.js';

/** Connections the Redis server lists, the test's own included. */
async function clientCount(redis: Redis): Promise<number> {
  return ((await redis.client('LIST')) as string).split('\n').filter((line) => line.trim() !== '').length;
}

describe('responder: a start that fails to listen (port taken)', function () {
  this.timeout(30_000);
  const schema = `responder_start_${randomBytes(4).toString('hex')}`;
  const redis = new LocalRedis();
  // The responder reaches PostgreSQL through a proxy of its own, which counts what it holds open.
  const postgres = new TcpProxy('127.0.0.1', 5432);
  const db = createPool(DATABASE_URL, { max: 1, applicationName: 'insights-responder-test' });
  let observer: Redis;
  let taken: Server;

  before(async () => {
    redis.port = 19_221;
    postgres.port = 19_222;
    await redis.start();
    await postgres.up();
    observer = new Redis(redis.url);
    taken = await takePort(19_223);
  });
  after(async () => {
    await freeTakenPort(taken);
    await observer.quit();
    await redis.stop();
    await postgres.down();
    await db.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
    await db.end();
  });

  it('rejects with the listen error and leaves no Redis or PostgreSQL connection open', async () => {
    const config = loadResponderConfig({
      RESPONDER_SECRET: SECRET,
      RESPONDER_PORT: '19223',
      RESPONDER_HOST: '127.0.0.1',
      REDIS_URL: redis.url,
      DATABASE_URL: `postgres://postgres@127.0.0.1:${postgres.port}/test`,
      DATABASE_SCHEMA: schema,
      LOG_LEVEL: 'silent',
    });
    const error = await startResponder(config, pino({ level: 'silent' })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as NodeJS.ErrnoException).code).to.equal('EADDRINUSE');
    await eventually(
      async () => (await clientCount(observer)) === 1 && postgres.connections === 0,
      () => `the responder to close its connections (PostgreSQL: ${postgres.connections} open)`,
    );
  });
});
