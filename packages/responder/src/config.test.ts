import { expect } from 'chai';
import { loadResponderConfig } from './config.js';
import { ConfigError } from '@insights/runtime';

const SECRET = 'a-secret-of-32-characters-length';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadResponderConfig(env);
  } catch (error) {
    expect(error).to.be.instanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('responder config', () => {
  it('has documented defaults and needs only the secret', () => {
    const config = loadResponderConfig({ RESPONDER_SECRET: SECRET });
    expect(config).to.include({
      RESPONDER_PORT: 9466,
      RESPONDER_HOST: '0.0.0.0',
      RESPONDER_SNAPSHOT_INTERVAL: 300_000,
      RESPONDER_NOTIFY_INTERVAL: 900_000,
      RESPONDER_ESCALATE_AFTER: 900_000,
      RESPONDER_CHECK_INTERVAL: 30_000,
      RESPONDER_STALE_AFTER: 16_200_000,
      RESPONDER_MAX_PAUSE: 7_200_000,
      RESPONDER_DRY_RUN: false,
      QUEUE_PREFIX: 'insights',
      DATABASE_SCHEMA: 'public',
    });
    expect(config.RESPONDER_PAUSE_ON).to.deep.equal([]);
    expect(config.RESPONDER_SLACK_WEBHOOK_URL).to.equal(undefined);
    expect(Object.isFrozen(config)).to.equal(true);
  });

  it('reads durations, the pause list, port 0, dry run and the webhook URL', () => {
    const config = loadResponderConfig({
      RESPONDER_SECRET: SECRET,
      RESPONDER_PORT: '0',
      RESPONDER_SNAPSHOT_INTERVAL: '90s',
      RESPONDER_ESCALATE_AFTER: '1h',
      RESPONDER_PAUSE_ON: ' JobsStuck, HighErrorRate ,JobsStuck,',
      RESPONDER_DRY_RUN: 'true',
      RESPONDER_SLACK_WEBHOOK_URL: 'https://hooks.example.com/services/T/B/x',
    });
    expect(config).to.include({ RESPONDER_PORT: 0, RESPONDER_SNAPSHOT_INTERVAL: 90_000, RESPONDER_ESCALATE_AFTER: 3_600_000, RESPONDER_DRY_RUN: true });
    expect(config.RESPONDER_PAUSE_ON).to.deep.equal(['JobsStuck', 'HighErrorRate']);
  });

  it('reads the stale delay and the longest pause, 0 meaning no limit', () => {
    expect(loadResponderConfig({ RESPONDER_SECRET: SECRET, RESPONDER_STALE_AFTER: '6h', RESPONDER_MAX_PAUSE: '0' })).to.include({
      RESPONDER_STALE_AFTER: 21_600_000,
      RESPONDER_MAX_PAUSE: 0,
    });
    expect(loadResponderConfig({ RESPONDER_SECRET: SECRET, RESPONDER_MAX_PAUSE: '45m' })).to.include({ RESPONDER_MAX_PAUSE: 2_700_000 });
    expect(problemsOf({ RESPONDER_SECRET: SECRET, RESPONDER_STALE_AFTER: '0', RESPONDER_MAX_PAUSE: 'forever' }).map((p) => p.split(':')[0])).to.have.members([
      'RESPONDER_STALE_AFTER',
      'RESPONDER_MAX_PAUSE',
    ]);
  });

  it('reports every problem at once, without echoing the secret', () => {
    const problems = problemsOf({
      RESPONDER_SECRET: 'short-secret',
      RESPONDER_PORT: '70000',
      RESPONDER_SNAPSHOT_INTERVAL: '5 minutes',
      RESPONDER_PAUSE_ON: 'Jobs Stuck',
      RESPONDER_SLACK_WEBHOOK_URL: 'ftp://example.com/hook',
      RESPONDER_DRY_RUN: 'yes',
      DATABASE_SCHEMA: 'Bad-Schema',
    });
    const fields = problems.map((p) => p.split(':')[0]);
    expect(fields).to.have.members([
      'RESPONDER_SECRET',
      'RESPONDER_PORT',
      'RESPONDER_SNAPSHOT_INTERVAL',
      'RESPONDER_PAUSE_ON.0',
      'RESPONDER_SLACK_WEBHOOK_URL',
      'RESPONDER_DRY_RUN',
      'DATABASE_SCHEMA',
    ]);
    expect(problems.join('\n')).not.to.include('short-secret');
  });

  it('requires the secret', () => {
    expect(problemsOf({})).to.deep.equal(['RESPONDER_SECRET: required: the shared secret Alertmanager sends as a bearer token']);
  });
});
