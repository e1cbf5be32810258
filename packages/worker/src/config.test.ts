import { expect } from 'chai';
import { ConfigError } from '@insights/runtime';
import { loadWorkerConfig } from './config.js';

describe('loadWorkerConfig', () => {
  it('fills in every default', () => {
    const config = loadWorkerConfig({});
    expect(config).to.include({
      QUEUE_PREFIX: 'insights',
      WORKER_LOCK_MS: 30_000,
      WORKER_STALLED_INTERVAL_MS: 30_000,
      WORKER_DRAIN_TIMEOUT_MS: 30_000,
      WORKER_DB_QUERY_TIMEOUT_MS: 30_000,
      WORKER_METRICS_PORT: 9465,
      REDIS_CLUSTER: false,
    });
    expect(config.WORKER_THREADS).to.be.at.least(1);
    expect(Object.isFrozen(config)).to.equal(true);
  });

  it('reads numbers from the environment', () => {
    const config = loadWorkerConfig({ WORKER_THREADS: '3', WORKER_LOCK_MS: '5000', REDIS_CLUSTER: 'true' });
    expect(config).to.include({ WORKER_THREADS: 3, WORKER_LOCK_MS: 5000, REDIS_CLUSTER: true });
  });

  it('reports every problem at once', () => {
    try {
      loadWorkerConfig({ WORKER_THREADS: '0', WORKER_LOCK_MS: 'soon', LOG_LEVEL: 'loud', DATABASE_SCHEMA: 'Bad-Name' });
      expect.fail('expected a ConfigError');
    } catch (error) {
      expect(error).to.be.instanceOf(ConfigError);
      const message = (error as ConfigError).message;
      for (const name of ['WORKER_THREADS', 'WORKER_LOCK_MS', 'LOG_LEVEL', 'DATABASE_SCHEMA']) expect(message).to.include(name);
      expect((error as ConfigError).problems).to.have.length(4);
    }
  });
});
