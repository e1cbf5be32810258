import { expect } from 'chai';
import { InsightsError, InvalidInputError, InvalidOptionsError } from '@insights/core';
import { InvalidDatasetError } from '@insights/store';
import { JobNotFoundError, NotCancellableError, ResultTimeoutError } from '@insights/producer';
import { API_ERRORS, ApiError, ApiErrorCode } from './errors.js';
import { Problem, toProblem } from './problem.js';

const context = { requestId: 'req-1', maxBodyMb: 50 };

describe('api problems', () => {
  it('gives every code a status and a title', () => {
    for (const code of Object.values(ApiErrorCode)) {
      expect(API_ERRORS[code].status, code).to.be.within(400, 599);
      expect(API_ERRORS[code].title, code).to.be.a('string').and.not.equal('');
    }
  });

  it('lists every input problem as `line N, column NAME: reason`, with the count of the rest', () => {
    const error = new InvalidInputError(
      [
        { line: 3, column: 'red_energy', reason: 'not a number' },
        { line: 5, reason: 'all four energies are zero' },
      ],
      7,
    );
    const { problem, internal } = toProblem(error, context);
    expect(internal).to.equal(false);
    expect(problem).to.deep.equal({
      type: 'urn:insights:problem:invalid-input',
      title: 'Invalid input data',
      status: 422,
      detail: 'the data cannot be used: 7 problems',
      code: 'INVALID_INPUT',
      errors: ['line 3, column red_energy: not a number', 'line 5: all four energies are zero', '… and 5 more problems'],
      request_id: 'req-1',
    });
    expect(Problem.safeParse(problem).success).to.equal(true);
  });

  it('maps the library and Fastify errors to their codes', () => {
    const code = (error: unknown) => toProblem(error, context).problem.code;
    expect(code(new InvalidOptionsError(['teams: too many']))).to.equal('INVALID_OPTIONS');
    expect(code(new NotCancellableError('j', 'active'))).to.equal('NOT_CANCELLABLE');
    expect(code(new JobNotFoundError('j'))).to.equal('NOT_FOUND');
    expect(code(new ApiError('RATE_LIMITED', 'slow down'))).to.equal('RATE_LIMITED');
    expect(code(Object.assign(new RangeError('Request body is too large'), { statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' }))).to.equal(
      'PAYLOAD_TOO_LARGE',
    );
    expect(code(Object.assign(new Error('Unsupported Media Type'), { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' }))).to.equal(
      'UNSUPPORTED_MEDIA_TYPE',
    );
    expect(code(Object.assign(new Error('x'), { statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY' }))).to.equal('INVALID_REQUEST');
  });

  it('answers any other coded error as its fault says', () => {
    const caller = toProblem(new InvalidDatasetError(['ids: 3 values, energies: 2 rows']), context);
    expect(caller.problem).to.include({ status: 400, code: 'INVALID_REQUEST' });
    expect(caller.internal).to.equal(false);
    const later = toProblem(new ResultTimeoutError('j', 10), context);
    expect(later.problem).to.include({ status: 503, code: 'UNAVAILABLE' });
    expect(later.internal).to.equal(true);
    expect(toProblem(new InsightsError('INTERNAL', 'unreachable state'), context).problem).to.include({ status: 500, code: 'INTERNAL' });
  });

  it('answers a path parameter too long to be a job 404 and a bad URL 400, without echoing either', () => {
    const long = toProblem(
      Object.assign(new Error("'/api/v1/jobs/xxxx' is exceeding the max param length"), { code: 'FST_ERR_MAX_PARAM_LENGTH', statusCode: 414 }),
      context,
    ).problem;
    expect(long).to.include({ status: 404, code: 'NOT_FOUND' });
    const bad = toProblem(
      Object.assign(new Error("'/api/v1/jobs/%zz' is not a valid url component"), { code: 'FST_ERR_BAD_URL', statusCode: 400 }),
      context,
    ).problem;
    expect(bad).to.include({ status: 400, code: 'INVALID_REQUEST' });
    expect(JSON.stringify([long, bad])).not.to.match(/xxxx|%zz/);
  });

  it('says Redis or PostgreSQL is unavailable (503) without their addresses', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 10.1.2.3:5432'), { code: 'ECONNREFUSED' });
    const { problem, internal } = toProblem(refused, context);
    expect(problem).to.include({ status: 503, code: 'UNAVAILABLE' });
    expect(JSON.stringify(problem)).to.not.include('10.1.2.3');
    expect(internal).to.equal(true);
    expect(
      toProblem(new Error('Reached the max retries per request limit (which is 1). Refer to "maxRetriesPerRequest" option for details.'), context).problem.code,
    ).to.equal('UNAVAILABLE');
  });

  it('never passes an unknown error’s message or stack to the client', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'secret_column')");
    const { problem, internal } = toProblem(bug, context);
    expect(internal).to.equal(true);
    expect(problem).to.include({ status: 500, code: 'INTERNAL', detail: 'an internal error occurred; quote the request id when reporting it' });
    expect(JSON.stringify(problem)).to.not.include('secret_column').and.not.include('at ');
    const fastifyInternal = Object.assign(new Error('internal detail'), { statusCode: 500, code: 'FST_ERR_SOMETHING' });
    expect(toProblem(fastifyInternal, context).problem.detail).to.not.include('internal detail');
  });
});
