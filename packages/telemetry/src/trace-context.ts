import { context, propagation, ROOT_CONTEXT, type Context } from '@opentelemetry/api';

/** W3C trace context as a job carries it. */
export interface TraceCarrier {
  traceparent?: string;
  tracestate?: string;
}

/** The active span's W3C trace context, to put into a job or hand to a thread; undefined without one. */
export function currentTraceContext(): TraceCarrier | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  if (!carrier.traceparent) return undefined;
  return carrier.tracestate ? { traceparent: carrier.traceparent, tracestate: carrier.tracestate } : { traceparent: carrier.traceparent };
}

/** The context a carrier describes (a fresh root when it is absent or malformed). */
function contextFrom(carrier: TraceCarrier | undefined): Context {
  if (!carrier?.traceparent) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, carrier);
}

/** Runs `work` as a continuation of the trace a carrier describes. */
export function withTraceContext<T>(carrier: TraceCarrier | undefined, work: () => T): T {
  return context.with(contextFrom(carrier), work);
}
