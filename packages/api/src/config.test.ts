import { expect } from 'chai';
import { ConfigError } from '@insights/runtime';
import { loadApiConfig } from './config.js';

describe('api config', () => {
  it('has the documented defaults, frozen', () => {
    const config = loadApiConfig({});
    expect(config).to.include({
      INSIGHTS_API_PORT: 8000,
      INSIGHTS_API_HOST: '0.0.0.0',
      INSIGHTS_METRICS_PORT: 9090,
      INSIGHTS_MAX_BODY_MB: 50,
      INSIGHTS_MAX_EMPLOYEES: 200_000,
      INSIGHTS_RATE_LIMIT_PER_MINUTE: 600,
      DATABASE_SCHEMA: 'public',
      QUEUE_PREFIX: 'insights',
      LOG_LEVEL: 'info',
    });
    expect(Object.isFrozen(config)).to.equal(true);
    expect(loadApiConfig({ INSIGHTS_API_PORT: '0', INSIGHTS_METRICS_PORT: '0' })).to.include({ INSIGHTS_API_PORT: 0, INSIGHTS_METRICS_PORT: 0 });
  });

  it('reports every problem at once', () => {
    try {
      loadApiConfig({
        INSIGHTS_API_PORT: '70000',
        INSIGHTS_MAX_EMPLOYEES: 'lots',
        INSIGHTS_RATE_LIMIT_PER_MINUTE: '0',
        DATABASE_SCHEMA: 'Bad-Name',
        LOG_LEVEL: 'loud',
      });
      expect.fail('expected a ConfigError');
    } catch (error) {
      expect(error).to.be.instanceOf(ConfigError).with.property('code', 'INVALID_CONFIG');
      const problems = (error as ConfigError).problems.map((p) => p.split(':')[0]);
      expect(problems).to.have.members(['INSIGHTS_API_PORT', 'INSIGHTS_MAX_EMPLOYEES', 'INSIGHTS_RATE_LIMIT_PER_MINUTE', 'DATABASE_SCHEMA', 'LOG_LEVEL']);
    }
  });
});
