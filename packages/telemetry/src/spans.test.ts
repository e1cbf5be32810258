import { expect } from 'chai';
import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { startTelemetry, type Telemetry } from './start.js';
import { inSpan } from './spans.js';
import { currentTraceContext, withTraceContext } from './trace-context.js';
import { traceLogFields } from './log-fields.js';

describe('spans and trace context', () => {
  const spans = new InMemorySpanExporter();
  const processor = new SimpleSpanProcessor(spans);
  let telemetry: Telemetry;
  /** Spans export once the resource is known, which may be after `end()`. */
  const finished = async () => {
    await processor.forceFlush();
    return spans.getFinishedSpans();
  };

  before(() => {
    telemetry = startTelemetry({ enabled: true, serviceName: 'telemetry-test' }, { spanProcessors: [processor] });
  });
  after(async () => {
    await telemetry.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
  });
  beforeEach(() => spans.reset());

  it('continues a trace carried as W3C context, child by child', async () => {
    let carried: ReturnType<typeof currentTraceContext>;
    await inSpan('request', {}, () => {
      carried = currentTraceContext();
    });
    expect(carried?.traceparent).to.match(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    await withTraceContext(carried, () => inSpan('clustering.job', { 'clustering.method': 'esn' }, () => inSpan('clustering.features', {}, () => 1)));
    const [features, job, request] = [...(await finished())].sort((a, b) => a.name.localeCompare(b.name));
    expect(request?.name).to.equal('request');
    expect(job?.spanContext().traceId).to.equal(request?.spanContext().traceId);
    expect(job?.parentSpanContext?.spanId).to.equal(request?.spanContext().spanId);
    expect(features?.parentSpanContext?.spanId).to.equal(job?.spanContext().spanId);
    expect(job?.attributes).to.include({ 'clustering.method': 'esn', 'operation.success': true });
  });

  it('records a failure by its code, never its message', async () => {
    const failure = Object.assign(new Error('line 3, column employee_id: duplicate "alice@example.com"'), { code: 'INVALID_INPUT' });
    let thrown: unknown;
    try {
      await inSpan('clustering.validate', {}, () => {
        throw failure;
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).to.equal(failure);
    const [span] = await finished();
    expect(span?.attributes).to.include({ 'operation.success': false, 'error.type': 'INVALID_INPUT' });
    expect(span?.events[0]?.name).to.equal('exception');
    expect(JSON.stringify(span?.events)).not.to.include('alice');
  });

  it('puts the active trace and span ids into log fields, and nothing outside a span', async () => {
    expect(traceLogFields()).to.deep.equal({});
    await inSpan('logged', {}, (span) => {
      expect(traceLogFields()).to.deep.equal({ trace_id: span.spanContext().traceId, span_id: span.spanContext().spanId });
    });
  });
});
