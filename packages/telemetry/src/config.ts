import { z } from 'zod';
import { CodedError } from '@insights/errors';

/** The OTLP wire formats we export with; gRPC is not bundled. */
export const OTLP_PROTOCOLS = ['http/json', 'http/protobuf'] as const;
export type OtlpProtocol = (typeof OTLP_PROTOCOLS)[number];

const optionalUrl = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .pipe(z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional());
const protocol = z.enum(OTLP_PROTOCOLS, { error: `expected one of ${OTLP_PROTOCOLS.join(', ')} (grpc is not supported)` });

/**
 * The standard `OTEL_*` variables a process reads. Only these are checked here; the SDK reads the
 * rest (headers, timeouts, sampler, resource attributes) itself.
 */
const TelemetryEnv = z.object({
  /** Set to `true` to turn tracing off entirely (no spans, no trace ids in logs). */
  OTEL_SDK_DISABLED: z.enum(['true', 'false', '']).optional(),
  /** Name spans are reported under (default: the process's own, e.g. `insights-api`). */
  OTEL_SERVICE_NAME: z.string().trim().min(1).optional(),
  /** Collector base URL, e.g. `http://otel-collector:4318`; nothing is exported when unset. */
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalUrl.optional(),
  /** Full URL for traces only, e.g. `http://otel-collector:4318/v1/traces`. */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optionalUrl.optional(),
  /** `http/protobuf` (default) or `http/json`. */
  OTEL_EXPORTER_OTLP_PROTOCOL: protocol.optional(),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: protocol.optional(),
});

/** What a process's telemetry is set up from. */
export interface TelemetryConfig {
  enabled: boolean;
  serviceName: string;
  /** Where spans go; absent: spans are made (trace ids for logs and jobs) but not exported. */
  export?: { protocol: OtlpProtocol };
}

/** Bad `OTEL_*` settings, every problem listed. */
export class TelemetryConfigError extends CodedError<'INVALID_CONFIG'> {
  constructor(readonly problems: string[]) {
    super('INVALID_CONFIG', 'caller', `invalid OpenTelemetry configuration:\n  ${problems.join('\n  ')}`);
  }
}

/** Reads the `OTEL_*` variables; `defaultServiceName` applies when `OTEL_SERVICE_NAME` is unset. */
export function loadTelemetryConfig(defaultServiceName: string, env: NodeJS.ProcessEnv = process.env): TelemetryConfig {
  const parsed = TelemetryEnv.safeParse(env);
  if (!parsed.success) throw new TelemetryConfigError(parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  const vars = parsed.data;
  const serviceName = vars.OTEL_SERVICE_NAME ?? defaultServiceName;
  if (vars.OTEL_SDK_DISABLED === 'true') return { enabled: false, serviceName };
  const exporting = vars.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT !== undefined || vars.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined;
  const wire = vars.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? vars.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf';
  return { enabled: true, serviceName, export: exporting ? { protocol: wire } : undefined };
}
