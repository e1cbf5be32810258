import { pino } from 'pino';
import { traceLogFields } from '@insights/telemetry';
import { ConfigError, loadWorkerConfig } from './config.js';
import { startWorker } from './start-worker.js';

/**
 * `insights worker`: runs until SIGTERM or SIGINT, then drains and exits 0. Bad configuration
 * exits 2 with every problem listed; a failure to start exits 1.
 */
export async function runWorkerProcess(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let config;
  try {
    config = loadWorkerConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`insights worker: ${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    throw error;
  }
  const log = pino({ level: config.LOG_LEVEL, base: { service: 'insights-worker', pid: process.pid }, mixin: traceLogFields });
  let running;
  try {
    running = await startWorker(config, log);
  } catch (error) {
    log.fatal({ err: error }, 'worker could not start');
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
