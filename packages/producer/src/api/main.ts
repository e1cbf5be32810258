import { pino } from 'pino';
import { traceLogFields } from '@insights/telemetry';
import { ApiConfigError, loadApiConfig } from './config.js';
import { startApi } from './start-api.js';

/**
 * `insights api`: runs until SIGTERM or SIGINT, then finishes the requests in flight and exits 0.
 * Bad configuration exits 2 with every problem listed; a failure to start exits 1.
 */
export async function runApiProcess(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let config;
  try {
    config = loadApiConfig(env);
  } catch (error) {
    if (error instanceof ApiConfigError) {
      process.stderr.write(`insights api: ${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    throw error;
  }
  const redact = { paths: ['req.headers.authorization', 'headers.authorization', 'authorization', 'token'], censor: '[redacted]' };
  const log = pino({ level: config.LOG_LEVEL, base: { service: 'insights-api', pid: process.pid }, mixin: traceLogFields, redact });
  // The audit log has its own logger (and level): it is never silenced with the service's.
  const audit = pino({ level: 'info', base: { service: 'insights-api', stream: 'audit', pid: process.pid }, mixin: traceLogFields, redact });
  let running;
  try {
    running = await startApi(config, { log, audit });
  } catch (error) {
    log.fatal({ err: error }, 'api could not start');
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
