import { pino } from 'pino';
import { traceLogFields } from '@insights/telemetry';
import { loadResponderConfig } from './config.js';
import { ConfigError } from './errors.js';
import { startResponder } from './start-responder.js';

/**
 * `insights responder`: takes Alertmanager webhooks until SIGTERM or SIGINT, then finishes the
 * webhook in progress and exits 0. Bad configuration exits 2 with every problem listed; a failure
 * to start exits 1.
 */
export async function runResponderProcess(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let config;
  try {
    config = loadResponderConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`insights responder: ${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    throw error;
  }
  const log = pino({
    level: config.LOG_LEVEL,
    base: { service: 'insights-responder', pid: process.pid },
    mixin: traceLogFields,
    redact: ['authorization', 'headers.authorization', 'secret'],
  });
  let running;
  try {
    running = await startResponder(config, log);
  } catch (error) {
    log.fatal({ err: error }, 'responder could not start');
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
