import { expect } from 'chai';
import { loadExporterConfig } from './config.js';
import { ConfigError } from '@insights/runtime';

describe('loadExporterConfig', () => {
  it('fills in every default', () => {
    const config = loadExporterConfig({});
    expect(config).to.include({
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_CLUSTER: false,
      QUEUE_PREFIX: 'insights',
      LOG_LEVEL: 'info',
      INSIGHTS_EXPORTER_PORT: 9464,
      INSIGHTS_EXPORTER_HOST: '0.0.0.0',
      INSIGHTS_EXPORTER_MAX_ORGS: 50,
      INSIGHTS_EXPORTER_SCRAPE_TIMEOUT_MS: 1000,
    });
    expect(config.INSIGHTS_EXPORTER_QUEUES).to.deep.equal(['clustering', 'team-formation']);
    expect(Object.isFrozen(config)).to.equal(true);
    expect(Object.isFrozen(config.INSIGHTS_EXPORTER_QUEUES)).to.equal(true);
  });

  it('takes port 0, a queue list (trimmed, without duplicates) and the cluster flag', () => {
    const config = loadExporterConfig({
      INSIGHTS_EXPORTER_PORT: '0',
      INSIGHTS_EXPORTER_QUEUES: ' q0, q1 ,q0,,q2',
      REDIS_CLUSTER: 'true',
      INSIGHTS_EXPORTER_MAX_ORGS: '3',
    });
    expect(config).to.include({ INSIGHTS_EXPORTER_PORT: 0, REDIS_CLUSTER: true, INSIGHTS_EXPORTER_MAX_ORGS: 3 });
    expect(config.INSIGHTS_EXPORTER_QUEUES).to.deep.equal(['q0', 'q1', 'q2']);
  });

  it('reports every problem at once', () => {
    try {
      loadExporterConfig({
        INSIGHTS_EXPORTER_PORT: '70000',
        INSIGHTS_EXPORTER_MAX_ORGS: '0',
        LOG_LEVEL: 'loud',
        INSIGHTS_EXPORTER_QUEUES: 'ok,bad name',
        REDIS_CLUSTER: 'yes',
      });
      expect.fail('expected a ConfigError');
    } catch (error) {
      expect(error).to.be.instanceOf(ConfigError);
      const { message, problems, code } = error as ConfigError;
      expect(code).to.equal('INVALID_CONFIG');
      for (const name of ['INSIGHTS_EXPORTER_PORT', 'INSIGHTS_EXPORTER_MAX_ORGS', 'LOG_LEVEL', 'INSIGHTS_EXPORTER_QUEUES', 'REDIS_CLUSTER'])
        expect(message).to.include(name);
      expect(problems).to.have.length(5);
    }
  });

  it('refuses an empty queue list', () => {
    expect(() => loadExporterConfig({ INSIGHTS_EXPORTER_QUEUES: ' , ' })).to.throw(ConfigError, /INSIGHTS_EXPORTER_QUEUES: name at least one queue/);
  });
});
