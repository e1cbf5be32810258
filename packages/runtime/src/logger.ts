import { pino, type DestinationStream, type Logger } from 'pino';
import { traceLogFields } from '@insights/telemetry';

/** Keys whose values never reach a log line: credentials, wherever they are nested. */
const REDACTED_PATHS = ['authorization', 'token', 'secret', 'headers.authorization', 'req.headers.authorization', '*.authorization', '*.token', '*.secret'];

/** How a service's logger is made. */
export interface ServiceLoggerOptions {
  /** `insights-api`, `insights-worker` … (the `service` field of every line). */
  service: string;
  level: string;
  /** Extra fixed fields, e.g. `{ stream: 'audit' }` for the API's audit lines. */
  base?: Record<string, unknown>;
  /** Where lines go (default standard output). */
  destination?: DestinationStream;
}

/**
 * The logger of a long-running process: JSON lines with `service`, `pid`, the active span's
 * `trace_id`/`span_id`, and credentials redacted.
 */
export function serviceLogger(options: ServiceLoggerOptions): Logger {
  const settings = {
    level: options.level,
    base: { service: options.service, pid: process.pid, ...options.base },
    mixin: traceLogFields,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
