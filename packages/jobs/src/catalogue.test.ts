import { expect } from 'chai';
import { JOBS, jobKindOfQueue, parseJobPayload, type JobKindName } from './catalogue.js';
import { QUEUE_NAMES } from './queues.js';

const payload = { organization: 'acme', datasetId: 'a'.repeat(64) };

describe('job catalogue', () => {
  it('gives every queue exactly one kind, and no kind to a queue it does not know', () => {
    const kinds = QUEUE_NAMES.map(jobKindOfQueue);
    expect(kinds.map((kind) => JOBS[kind!].queue)).to.deep.equal([...QUEUE_NAMES]);
    expect(new Set(kinds).size).to.equal(Object.keys(JOBS).length);
    expect(jobKindOfQueue('bull')).to.equal(undefined);
  });

  it("checks a producer's payload with its kind's schema and fills in the defaults", () => {
    expect(parseJobPayload('clustering', { ...payload, options: {} }).options).to.deep.equal({ method: 'hybrid', clusters: 4, seed: 42 });
    expect(parseJobPayload('teamFormation', { ...payload, teams: { teams: 3 } }).teams).to.deep.equal({ teams: 3, seed: 42 });
  });

  it("refuses a payload its kind's schema refuses, even one another kind would take", () => {
    const clustering = { ...payload, options: {} };
    expect(() => parseJobPayload('teamFormation' as JobKindName, clustering as never)).to.throw(/teams/);
    expect(() => parseJobPayload('clustering', { ...clustering, options: { clusters: 51 } })).to.throw(/50/);
  });
});
