import { expect } from 'chai';
import { publicFailure } from './jobs.js';

describe('publicFailure', () => {
  it('shows the caller’s failures in our words, and only a code for ours', () => {
    const invalid = 'INVALID_INPUT: the data has 3 distinct profiles, fewer than the 4 clusters asked for';
    expect(publicFailure(invalid)).to.deep.equal({ reason: invalid, code: 'INVALID_INPUT' });
    const outage = publicFailure('UNAVAILABLE: PostgreSQL is unreachable (connect ECONNREFUSED 10.0.3.7:5432)');
    expect(outage.code).to.equal('UNAVAILABLE');
    expect(outage.reason)
      .to.match(/^UNAVAILABLE: /)
      .and.not.include('10.0.3.7');
    const crash = publicFailure("TypeError: Cannot read properties of undefined (reading 'k')");
    expect(crash).to.deep.equal({ reason: 'INTERNAL: the job failed on our side; quote the job id when reporting it', code: 'INTERNAL' });
    expect(publicFailure(null)).to.deep.equal({ reason: null, code: null });
  });
});
