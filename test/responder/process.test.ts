import { expect } from 'chai';
import { LoggedProcess } from '../helpers/processes.js';

describe('insights responder: bad configuration', function () {
  this.timeout(20_000);

  it('exits 2 listing every problem, and starts nothing', async () => {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      RESPONDER_SECRET: 'too-short',
      RESPONDER_PORT: '-1',
      RESPONDER_ESCALATE_AFTER: 'soon',
      RESPONDER_SLACK_WEBHOOK_URL: 'not a url',
    };
    const responder = LoggedProcess.insights('responder', env);
    expect(await responder.exited).to.deep.equal({ code: 2, signal: null });
    const stderr = responder.output.filter((line) => line.stream === 'stderr').map((line) => line.text);
    expect(stderr[0]).to.equal('insights responder: invalid configuration:');
    expect(stderr.slice(1).map((line) => line.trim().split(':')[0])).to.have.members([
      'RESPONDER_PORT',
      'RESPONDER_SECRET',
      'RESPONDER_ESCALATE_AFTER',
      'RESPONDER_SLACK_WEBHOOK_URL',
    ]);
    expect(stderr.join('\n')).not.to.include('too-short');
    expect(responder.output.filter((line) => line.stream === 'stdout')).to.deep.equal([]);
  });
});
