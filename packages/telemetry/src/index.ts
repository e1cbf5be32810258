/**
 * @insights/telemetry — OpenTelemetry for every long-running process: the Node SDK configured
 * from `OTEL_*`, W3C trace context carried through jobs and into compute threads, spans with the
 * operations guide's attributes, and trace ids in pino lines.
 */
export { loadTelemetryConfig, TelemetryConfigError, OTLP_PROTOCOLS, type OtlpProtocol, type TelemetryConfig } from './config.js';
export { startTelemetry, type Telemetry, type StartOptions } from './start.js';
export { currentTraceContext, withTraceContext, type TraceCarrier } from './trace-context.js';
export { inSpan, annotateActiveSpan, nameRequestSpan, errorType } from './spans.js';
export { SpanKind } from '@opentelemetry/api';
export { StageSpans, recording } from './stage-spans.js';
export { traceLogFields } from './log-fields.js';
export { registerModuleHooks } from './module-hooks.js';
