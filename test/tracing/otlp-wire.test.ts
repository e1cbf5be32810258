import { expect } from 'chai';
import { QUEUES } from '@insights/jobs';
import { FleetEnv } from '../helpers/fleet.js';
import { syntheticCsv } from '../helpers/synthetic-csv.js';
import { OtlpReceiver } from '../helpers/otlp-receiver.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_SPAN_ID = '00f067aa0ba902b7';

describe('tracing: OTLP/HTTP export from a worker process', function () {
  this.timeout(60_000);
  const fleet = new FleetEnv();
  const receiver = new OtlpReceiver();
  let endpoint: string;

  before(async () => {
    await fleet.setUp();
    endpoint = await receiver.start();
  });
  afterEach(() => fleet.reset());
  after(async () => {
    await fleet.tearDown();
    await receiver.stop();
  });

  async function runTracedJob(): Promise<string> {
    const recorder = await fleet.record(QUEUES.clustering);
    const trace = { traceparent: `00-${TRACE_ID}-${PARENT_SPAN_ID}-01` };
    const { id } = await fleet.client.submitClustering('acme', { text: syntheticCsv(60, 3) }, { method: 'kmeans', clusters: 3 }, trace);
    expect((await recorder.outcome(id)).event).to.equal('completed');
    return id;
  }

  it('sends http/json with the job span in the submitter’s trace, under the worker’s service name', async () => {
    await fleet.startWorker({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '100' });
    await runTracedJob();
    const got = await receiver.waitFor((r) => r.contentType.startsWith('application/json') && r.body.includes('process clustering'));
    expect(got.path).to.equal('/v1/traces');
    const body = JSON.parse(got.body.toString('utf8')) as {
      resourceSpans: {
        resource: { attributes: { key: string; value: { stringValue?: string } }[] };
        scopeSpans: { spans: { name: string; traceId: string; parentSpanId?: string }[] }[];
      }[];
    };
    const resource = body.resourceSpans[0]!.resource.attributes.find((a) => a.key === 'service.name');
    expect(resource?.value.stringValue).to.equal('insights-worker');
    const spans = body.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
    const job = spans.find((s) => s.name === 'process clustering');
    expect(job?.traceId).to.equal(TRACE_ID);
    expect(job?.parentSpanId).to.equal(PARENT_SPAN_ID);
  });

  it('sends http/protobuf by default', async () => {
    await fleet.startWorker({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_BSP_SCHEDULE_DELAY: '100', OTEL_SERVICE_NAME: 'worker-eu' });
    await runTracedJob();
    const got = await receiver.waitFor(
      (r) => r.contentType === 'application/x-protobuf' && r.body.includes('process clustering') && r.body.includes('worker-eu'),
    );
    expect(got.path).to.equal('/v1/traces');
    // Protobuf carries trace ids as raw bytes.
    expect(got.body.includes(Buffer.from(TRACE_ID, 'hex'))).to.equal(true);
  });

  it('refuses a bad OTEL_* setting at start-up with exit status 2', async () => {
    const worker = fleet.spawnWorker({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' });
    const exit = await worker.exited;
    expect(exit.code).to.equal(2);
    expect(worker.stderr).to.match(/OTEL_EXPORTER_OTLP_PROTOCOL: .*grpc is not supported/);
  });
});
