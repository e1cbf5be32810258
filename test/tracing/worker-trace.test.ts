import { expect } from 'chai';
import { context, propagation, trace, SpanKind as ApiSpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { pino } from 'pino';
import { currentTraceContext, inSpan, startTelemetry, traceLogFields, type Telemetry } from '@insights/telemetry';
import { loadWorkerConfig, startWorker, type RunningWorker } from '@insights/worker';
import { QUEUES } from '@insights/jobs';
import { FleetEnv } from '../helpers/fleet.js';
import { syntheticCsv } from '../helpers/synthetic-csv.js';

/** A pino destination that keeps every line, parsed. */
function lineSink(): { lines: Record<string, unknown>[]; stream: { write(line: string): void } } {
  const lines: Record<string, unknown>[] = [];
  return { lines, stream: { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) } };
}

describe('tracing: a job continues the trace of the request that submitted it', function () {
  this.timeout(60_000);
  const fleet = new FleetEnv();
  const spans = new InMemorySpanExporter();
  const processor = new SimpleSpanProcessor(spans);
  let telemetry: Telemetry;
  let worker: RunningWorker | undefined;
  const logs = lineSink();

  before(async () => {
    telemetry = startTelemetry({ enabled: true, serviceName: 'worker-trace-test' }, { spanProcessors: [processor] });
    await fleet.setUp();
    const config = loadWorkerConfig(fleet.env({ LOG_LEVEL: 'debug' }));
    worker = await startWorker(config, pino({ level: 'debug', mixin: traceLogFields }, logs.stream));
  });

  after(async () => {
    await worker?.stop();
    await fleet.tearDown();
    await telemetry.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
  });

  it('links the submitting span, the job span, its stages on the compute thread and the save', async () => {
    const recorder = await fleet.record(QUEUES.clustering);
    const csv = syntheticCsv(120, 11);
    const { id, traceId, requestSpanId } = await inSpan('POST /api/v1/jobs/clustering', {}, async (span) => {
      const submitted = await fleet.client.submitClustering('acme', { text: csv }, { method: 'esn', clusters: 3 }, currentTraceContext());
      return { id: submitted.id, traceId: span.spanContext().traceId, requestSpanId: span.spanContext().spanId };
    });
    expect((await recorder.outcome(id)).event).to.equal('completed');
    await processor.forceFlush();

    const inTrace = spans.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    const byName = (name: string): ReadableSpan => {
      const found = inTrace.find((s) => s.name === name);
      expect(found, `span ${name} in ${inTrace.map((s) => s.name).join(', ')}`).to.not.equal(undefined);
      return found!;
    };
    const job = byName('process clustering');
    expect(job.kind).to.equal(ApiSpanKind.CONSUMER);
    expect(job.parentSpanContext?.spanId).to.equal(requestSpanId);
    expect(job.attributes).to.include({ 'clustering.method': 'esn', 'clustering.clusters': 3, 'data.employee_count': 120, 'operation.success': true });
    expect(job.attributes['clustering.silhouette_score']).to.be.a('number');
    for (const stage of ['clustering.validate', 'clustering.features', 'clustering.cluster', 'clustering.score', 'clustering.save']) {
      const span = byName(stage);
      expect(span.parentSpanContext?.spanId, stage).to.equal(job.spanContext().spanId);
      expect(span.attributes['operation.success'], stage).to.equal(true);
    }
    const order = ['clustering.features', 'clustering.cluster', 'clustering.score'].map((name) => byName(name).startTime);
    const ms = (t: [number, number]) => t[0] * 1e3 + t[1] / 1e6;
    expect(ms(order[0]!)).to.be.at.most(ms(order[1]!));
    expect(ms(order[1]!)).to.be.at.most(ms(order[2]!));

    const jobLines = logs.lines.filter((line) => line.job_id === id);
    expect(jobLines.map((line) => line.msg)).to.include.members(['job started', 'job completed']);
    for (const line of jobLines) expect(line, String(line.msg)).to.include({ trace_id: traceId, queue: QUEUES.clustering });
  });

  it('marks the job span failed with the error code when the data cannot be clustered', async () => {
    const recorder = await fleet.record(QUEUES.clustering);
    const raw = fleet.queue(QUEUES.clustering);
    const { id, traceId } = await inSpan('submit', {}, async (span) => {
      const job = await raw.add(
        'clustering',
        { organization: 'acme', datasetId: 'f'.repeat(64), options: { method: 'kmeans', clusters: 3, seed: 1 }, trace: currentTraceContext() },
        { attempts: 1 },
      );
      return { id: job.id!, traceId: span.spanContext().traceId };
    });
    expect((await recorder.outcome(id)).event).to.equal('failed');
    await processor.forceFlush();
    const job = spans.getFinishedSpans().find((s) => s.spanContext().traceId === traceId && s.name === 'process clustering');
    expect(job?.attributes).to.include({ 'operation.success': false, 'error.type': 'NOT_FOUND' });
    const validate = spans.getFinishedSpans().find((s) => s.spanContext().traceId === traceId && s.name === 'clustering.validate');
    expect(validate?.attributes).to.include({ 'operation.success': false, 'error.type': 'NOT_FOUND' });
  });
});
