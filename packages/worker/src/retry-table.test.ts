import { UnrecoverableError } from 'bullmq';
import { expect } from 'chai';
import { JobError } from '@insights/jobs';
import { forBullMq } from './retry-table.js';

describe('the worker retry table', () => {
  it('ends a job at once for the caller fault, keeping its code and reason', () => {
    for (const code of ['INVALID_PAYLOAD', 'INVALID_INPUT', 'NOT_FOUND', 'OUT_OF_MEMORY'] as const) {
      const thrown = forBullMq(new JobError(code, 'why'));
      expect(thrown, code).to.be.instanceOf(UnrecoverableError);
      expect((thrown as Error).message).to.equal(`${code}: why`);
      expect((thrown as { code?: string }).code).to.equal(code);
    }
  });

  it('lets BullMQ retry a transient failure, one of ours, and anything not coded', () => {
    for (const error of [new JobError('UNAVAILABLE', 'down'), new JobError('INTERNAL', 'bug'), new TypeError('x is undefined')]) {
      expect(forBullMq(error)).to.equal(error);
    }
  });
});
