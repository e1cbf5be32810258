import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { QUEUES } from '@insights/jobs';
import { FleetEnv, syntheticCsv } from '../helpers/fleet.js';

/** One OTLP/HTTP export request as the receiver got it. */
interface Received {
  path: string;
  contentType: string;
  body: Buffer;
}

/**
 * A minimal OTLP/HTTP trace receiver: answers 200 to every POST and hands each request to the
 * waiters, so a test waits for the export it expects instead of sleeping.
 */
class OtlpReceiver {
  readonly received: Received[] = [];
  private readonly waiters = new Set<{ test(r: Received): boolean; resolve(r: Received): void }>();
  private server: Server | undefined;

  async start(): Promise<string> {
    this.server = createServer((request: IncomingMessage, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const got = { path: request.url ?? '', contentType: String(request.headers['content-type']), body: Buffer.concat(chunks) };
        this.received.push(got);
        for (const waiter of this.waiters) {
          if (!waiter.test(got)) continue;
          this.waiters.delete(waiter);
          waiter.resolve(got);
        }
        response.writeHead(200, { 'content-type': got.contentType }).end(got.contentType.includes('json') ? '{}' : '');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  /** The first request `test` accepts, already received or to come. */
  waitFor(test: (r: Received) => boolean, timeoutMs = 20_000): Promise<Received> {
    const seen = this.received.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching OTLP export within ${timeoutMs} ms; got ${this.received.length} requests`)), timeoutMs);
      this.waiters.add({ test, resolve: (r) => (clearTimeout(timer), resolve(r)) });
    });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

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
      resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: { name: string; traceId: string; parentSpanId?: string }[] }[] }[];
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
    const got = await receiver.waitFor((r) => r.contentType === 'application/x-protobuf' && r.body.includes('process clustering') && r.body.includes('worker-eu'));
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
