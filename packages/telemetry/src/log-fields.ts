import { trace } from '@opentelemetry/api';

/** `trace_id` and `span_id` of the active span, for pino's `mixin`; empty when none is active. */
export function traceLogFields(): { trace_id?: string; span_id?: string } {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId } = span.spanContext();
  if (!traceId || /^0+$/.test(traceId)) return {};
  return { trace_id: traceId, span_id: spanId };
}
