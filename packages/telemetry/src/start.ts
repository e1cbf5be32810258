import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { AlwaysOffSampler, BatchSpanProcessor, NoopSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import type { TelemetryConfig } from './config.js';

/** A started SDK; `shutdown()` flushes spans still buffered. */
export interface Telemetry {
  readonly config: TelemetryConfig;
  shutdown(): Promise<void>;
}

/** Options for tests: where spans go instead of the configured exporter. */
export interface StartOptions {
  spanProcessors?: SpanProcessor[];
}

/**
 * Starts the Node SDK: W3C trace context, instrumentation of HTTP (and so Fastify's requests),
 * ioredis and pg, and OTLP export when an endpoint is configured. Without one, spans are not
 * recorded but still get ids (so logs and jobs carry a trace id). OpenTelemetry metrics and logs stay
 * off: metrics are Prometheus's, logs are pino's.
 */
export function startTelemetry(config: TelemetryConfig, options: StartOptions = {}): Telemetry {
  if (!config.enabled) return { config, shutdown: async () => undefined };
  const exporting = options.spanProcessors !== undefined || config.export !== undefined;
  const sdk = new NodeSDK({
    serviceName: config.serviceName,
    spanProcessors: options.spanProcessors ?? [exportingProcessor(config)],
    // Nothing to export to: spans are not recorded (cheaper on every request and Redis call), yet
    // still get ids, so that logs carry a trace_id and jobs carry the caller's context.
    ...(exporting ? {} : { sampler: new AlwaysOffSampler() }),
    logRecordProcessors: [],
    metricReaders: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => isProbe(request.url),
        redactedQueryParamsServer: REDACTED_QUERY_PARAMS,
        redactedQueryParams: REDACTED_QUERY_PARAMS,
      }),
      // Only the command's name: BullMQ's scripts carry job payloads (employee ids) as arguments.
      new IORedisInstrumentation({ requireParentSpan: true, dbStatementSerializer: (command, args) => `${command} [${args.length} arguments]` }),
      // SQL text only, never parameter values (the default; said here because it matters).
      new PgInstrumentation({ requireParentSpan: true, enhancedDatabaseReporting: false }),
    ],
  });
  sdk.start();
  return { config, shutdown: () => sdk.shutdown() };
}

function exportingProcessor(config: TelemetryConfig): SpanProcessor {
  if (!config.export) return new NoopSpanProcessor();
  const exporter = config.export.protocol === 'http/json' ? new OtlpJsonExporter() : new OtlpProtobufExporter();
  return new BatchSpanProcessor(exporter);
}

/**
 * Query parameters whose values never reach a span: the SDK's own list of signed-URL secrets, and
 * ours — the salt behind a report's pseudonyms, and any token.
 */
const REDACTED_QUERY_PARAMS = [
  'sig',
  'Signature',
  'AWSAccessKeyId',
  'X-Goog-Signature',
  'X-Amz-Signature',
  'X-Amz-Credential',
  'X-Amz-Security-Token',
  'salt',
  'token',
];

/** Scrapes and health probes arrive every few seconds and would drown the traces that matter. */
function isProbe(url: string | undefined): boolean {
  return url !== undefined && (url.startsWith('/metrics') || url.startsWith('/health') || url.startsWith('/api/health'));
}
