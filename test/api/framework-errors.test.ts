import { expect } from 'chai';
import { pino } from 'pino';
import { startApi, type RunningApi } from '@insights/api';
import { ApiEnv, bearer, LogSink, problemOf, type ProblemBody } from './helpers.js';

/** A response read whole, in the shape `problemOf` checks. */
async function read(response: Response): Promise<{ statusCode: number; headers: Record<string, string>; body: string }> {
  return { statusCode: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
}

/** Fastify's own refusals (router, URL decoding, Node's header limit) answer problem+json with a request id, as every other error. */
describe('api: refusals made before a route runs', function () {
  this.timeout(60_000);
  const env = new ApiEnv();
  const logs = new LogSink();
  let running: RunningApi;
  let base: string;
  let auth: Record<string, string>;

  before(async () => {
    await env.setUp();
    running = await startApi(env.listeningConfig(), { log: pino({ level: 'info' }, logs.stream), audit: pino({ level: 'silent' }) });
    base = `http://127.0.0.1:${running.port}`;
    auth = bearer(await env.token('framework-org'));
  });
  after(async () => {
    await running?.stop();
    await env.tearDown();
  });

  /** Checks the answer is problem+json with this status and code, a request id also in the header and the log, and no echo of `secret`. */
  async function expectProblem(response: Response, status: number, code: string, secret: string): Promise<ProblemBody> {
    const raw = await read(response);
    const problem = problemOf(raw);
    expect(problem.status).to.equal(status);
    expect(problem.code).to.equal(code);
    expect(problem.request_id).to.match(/^[0-9a-f-]{36}$/);
    expect(raw.headers['x-request-id']).to.equal(problem.request_id);
    expect(raw.body).not.to.include(secret);
    return problem;
  }

  for (const length of [101, 150, 200]) {
    it(`answers 404 NOT_FOUND to a job id of ${length} characters, as for any unknown job`, async () => {
      const id = `j${'x'.repeat(length - 1)}`;
      await expectProblem(await fetch(`${base}/api/v1/jobs/${id}`, { headers: auth }), 404, 'NOT_FOUND', id);
    });
  }

  it('answers 404 NOT_FOUND, without echoing the URL, to a job id far longer than any', async () => {
    const id = `j${'y'.repeat(5_000)}`;
    await expectProblem(await fetch(`${base}/api/v1/jobs/${id}/result`, { headers: auth }), 404, 'NOT_FOUND', id);
  });

  it('answers 400 INVALID_REQUEST to a path that is not valid percent-encoding', async () => {
    await expectProblem(await fetch(`${base}/api/v1/jobs/%E0%A4%A-zz-secretpath`, { headers: auth }), 400, 'INVALID_REQUEST', 'secretpath');
  });

  it('answers 431 HEADERS_TOO_LARGE to an Authorization header over the limit, and logs the request id', async () => {
    const token = `Bearer ${'t'.repeat(64 * 1024)}`;
    const problem = await expectProblem(await fetch(`${base}/api/v1/jobs`, { headers: { authorization: token } }), 431, 'HEADERS_TOO_LARGE', 'tttttttttt');
    // Logged before the answer is written: it is there once the answer has arrived.
    const line = logs.lines.find((l) => l.request_id === problem.request_id);
    expect(line, 'the log line of the refused request').to.include({ status: 431, code: 'HEADERS_TOO_LARGE' });
  });

  it('still answers on the same server afterwards', async () => {
    const response = await fetch(`${base}/api/health/live`);
    expect(response.status).to.equal(200);
  });
});
