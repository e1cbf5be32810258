import { pino } from 'pino';
import { traceLogFields } from '@insights/telemetry';
import { loadExporterConfig } from './config.js';
import { ConfigError } from './errors.js';
import { startExporter } from './start-exporter.js';

/**
 * `insights exporter`: serves /metrics and /health until SIGTERM or SIGINT, then closes the
 * queue listeners, the server and Redis and exits 0. Bad configuration exits 2 with every problem
 * listed; a failure to start exits 1.
 */
export async function runExporterProcess(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let config;
  try {
    config = loadExporterConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`insights exporter: ${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    throw error;
  }
  const log = pino({ level: config.LOG_LEVEL, base: { service: 'insights-exporter', pid: process.pid }, mixin: traceLogFields });
  let running;
  try {
    running = await startExporter(config, log);
  } catch (error) {
    log.fatal({ err: error }, 'exporter could not start');
    process.exitCode = 1;
    return;
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    running
      .stop()
      .then(() => {
        process.exitCode = 0;
        // Everything is closed; should a library still hold the event loop open, leave anyway.
        setTimeout(() => process.exit(), 2_000).unref();
      })
      .catch((err: unknown) => {
        log.error({ err }, 'error while stopping');
        process.exitCode = 1;
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
