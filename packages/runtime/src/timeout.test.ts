import { expect } from 'chai';
import { raceTimeout } from './timeout.js';

describe('raceTimeout', () => {
  it('settles with the work when it finishes first', async () => {
    expect(await raceTimeout(Promise.resolve('done'), 1_000, () => 'late')).to.equal('done');
  });

  it("rejects with the work's error when it fails first", async () => {
    const error = await raceTimeout(Promise.reject(new Error('refused')), 1_000, () => 'late').catch((e: Error) => e);
    expect((error as Error).message).to.equal('refused');
  });

  it('settles with what late() answers when the time passes first', async () => {
    expect(await raceTimeout(new Promise<string>(() => undefined), 5, () => 'late')).to.equal('late');
  });

  it('rejects with what late() throws when the time passes first', async () => {
    const error = await raceTimeout(new Promise<string>(() => undefined), 5, () => {
      throw new Error('too slow');
    }).catch((e: Error) => e);
    expect((error as Error).message).to.equal('too slow');
  });
});
