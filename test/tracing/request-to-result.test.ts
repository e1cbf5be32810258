import { expect } from 'chai';
import { QUEUES } from '@insights/jobs';
import { FleetEnv } from '../helpers/fleet.js';
import type { FleetWorker } from '../helpers/fleet-worker.js';
import { syntheticCsv } from '../helpers/synthetic-csv.js';
import { OtlpReceiver, type ExportedSpan } from '../helpers/otlp-receiver.js';
import { LoggedProcess } from '../helpers/processes.js';

const SERVER = 2;
const CONSUMER = 5;

/**
 * The whole path of one submission as two real processes trace it — `insights api` and
 * `insights worker`, both exporting OTLP/JSON to a receiver the test runs — must be one trace:
 * the HTTP request, the job, its stages on the compute thread, and the INSERT of its result.
 */
describe('tracing: one trace from the HTTP request to the saved result', function () {
  this.timeout(90_000);
  const fleet = new FleetEnv();
  const receiver = new OtlpReceiver();
  let api: LoggedProcess | undefined;
  let worker: FleetWorker;
  let baseUrl: string;
  let token: string;

  before(async () => {
    await fleet.setUp();
    const endpoint = await receiver.start();
    const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '100' };
    worker = await fleet.startWorker({ ...otel, LOG_LEVEL: 'debug' });
    api = LoggedProcess.insights(
      'api',
      fleet.env({
        ...otel,
        LOG_LEVEL: 'debug',
        INSIGHTS_API_PORT: '0',
        INSIGHTS_API_HOST: '127.0.0.1',
        INSIGHTS_METRICS_PORT: '0',
        INSIGHTS_METRICS_HOST: '127.0.0.1',
      }),
    );
    const ready = await api.waitFor((line) => line.msg === 'api ready', "'api ready'");
    baseUrl = `http://127.0.0.1:${ready.port}`;
    token = (await fleet.store.createToken('acme', 'tracing test')).token;
  });

  after(async () => {
    await api?.stop();
    await fleet.tearDown();
    await receiver.stop();
  });

  it('links the API request, the job, the thread stages and the save, with trace ids in both logs', async () => {
    const recorder = await fleet.record(QUEUES.clustering);
    const response = await fetch(`${baseUrl}/api/v1/jobs/clustering?method=esn&clusters=3`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv', 'x-request-id': 'trace-test-1' },
      body: syntheticCsv(90, 5),
    });
    expect(response.status).to.equal(202);
    const { id } = (await response.json()) as { id: string };
    expect((await recorder.outcome(id)).event).to.equal('completed');

    const isRequest = (s: ExportedSpan) =>
      s.service === 'insights-api' &&
      s.kind === SERVER &&
      String(s.attributes['url.path'] ?? s.attributes['http.target']).startsWith('/api/v1/jobs/clustering');
    const spans = await receiver.spansWhere(
      (all) =>
        all.some(isRequest) && all.some((s) => s.service === 'insights-worker' && s.name === 'clustering.save' && all.some((q) => q.parentSpanId === s.spanId)),
    );
    const request = spans.find(isRequest)!;
    const inTrace = spans.filter((s) => s.traceId === request.traceId);
    const named = (name: string, service = 'insights-worker') => {
      const span = inTrace.find((s) => s.name === name && s.service === service);
      expect(span, `${service} span ${name} in the request's trace; it has ${inTrace.map((s) => `${s.service}:${s.name}`).join(', ')}`).to.not.equal(undefined);
      return span!;
    };

    expect(request.name).to.equal('POST /api/v1/jobs/clustering');
    expect(request.attributes['http.route']).to.equal('/api/v1/jobs/clustering');
    const job = named('process clustering');
    expect(job.kind).to.equal(CONSUMER);
    expect(job.parentSpanId, 'the job continues the request span').to.equal(request.spanId);
    expect(job.attributes).to.include({ 'clustering.method': 'esn', 'clustering.clusters': 3, 'data.employee_count': 90, 'operation.success': true });
    for (const stage of ['clustering.validate', 'clustering.features', 'clustering.cluster', 'clustering.score', 'clustering.save']) {
      expect(named(stage).parentSpanId, stage).to.equal(job.spanId);
    }
    const save = named('clustering.save');
    const insert = inTrace.find(
      (s) =>
        s.parentSpanId === save.spanId &&
        s.service === 'insights-worker' &&
        /insert/i.test(`${s.name} ${s.attributes['db.statement'] ?? s.attributes['db.query.text'] ?? ''}`),
    );
    expect(insert, 'the INSERT of the result, traced by the pg instrumentation under clustering.save').to.not.equal(undefined);

    const apiLine = await api!.waitFor((line) => line.msg === 'request answered' && line.request_id === 'trace-test-1', 'the request line');
    expect(apiLine.trace_id).to.equal(request.traceId);
    const workerLine = await worker.waitForMessage('job completed', id);
    expect(workerLine.trace_id).to.equal(request.traceId);
  });
});
