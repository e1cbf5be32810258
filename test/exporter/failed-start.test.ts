import { expect } from 'chai';
import type { Server } from 'node:net';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { loadExporterConfig, startExporter } from '@insights/exporter';
import { eventually } from '../helpers/eventually.js';
import { LocalRedis } from '../helpers/local-redis.js';
import { freeTakenPort, takePort } from '../helpers/port-taken.js';

/** Connections the Redis server lists, the test's own included. */
async function clientCount(redis: Redis): Promise<number> {
  return ((await redis.client('LIST')) as string).split('\n').filter((line) => line.trim() !== '').length;
}

describe('exporter: a start that fails to listen (port taken)', function () {
  this.timeout(30_000);
  const redis = new LocalRedis();
  let observer: Redis;
  let taken: Server;

  before(async () => {
    // A Redis of its own on a port of its own: every connection it lists is the exporter's or ours.
    redis.port = 19_211;
    await redis.start();
    observer = new Redis(redis.url);
    taken = await takePort(19_212);
  });
  after(async () => {
    await freeTakenPort(taken);
    await observer.quit();
    await redis.stop();
  });

  it('rejects with the listen error and leaves no Redis connection open', async () => {
    const config = loadExporterConfig({ REDIS_URL: redis.url, INSIGHTS_EXPORTER_PORT: '19212', INSIGHTS_EXPORTER_HOST: '127.0.0.1', LOG_LEVEL: 'silent' });
    const error = await startExporter(config, pino({ level: 'silent' })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((error as NodeJS.ErrnoException).code).to.equal('EADDRINUSE');
    await eventually(
      async () => (await clientCount(observer)) === 1,
      () => 'the exporter to close both of its Redis connections',
    );
  });
});
