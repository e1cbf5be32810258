import type { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { ConfigError } from './config.js';
import { serviceLogger } from './logger.js';

/** A started service: stopping drains it and closes its connections. */
export interface Stoppable {
  stop(): Promise<unknown>;
}

/** What `runService` needs to know about a service. */
export interface ServiceSpec<C extends { LOG_LEVEL: string }, R extends Stoppable> {
  /** The subcommand, e.g. `worker` (messages say `insights worker: …`). */
  command: string;
  /** Reads and checks the configuration; throws ConfigError on bad configuration. */
  load(): C;
  /** Starts the service; resolves once it serves. */
  start(config: C, log: Logger): Promise<R>;
}

/** What the process is driven by; tests pass their own. */
export interface ServiceProcess {
  signals: Pick<EventEmitter, 'on'>;
  stderr: { write(text: string): unknown };
  setExitCode(code: number): void;
  /** Called once everything is closed, in case a library still holds the event loop open. */
  exitSoon(): void;
}

const PROCESS: ServiceProcess = {
  signals: process,
  stderr: process.stderr,
  setExitCode: (code) => {
    process.exitCode = code;
  },
  exitSoon: () => void setTimeout(() => process.exit(), 2_000).unref(),
};

/**
 * Runs a long-running service until SIGTERM or SIGINT, then stops it (drain, close) and exits 0.
 * Bad configuration exits 2 with every problem listed; a failure to start or to stop exits 1 (at
 * once, even if something half-started still holds the event loop); a second signal while
 * stopping changes nothing.
 */
export async function runService<C extends { LOG_LEVEL: string }, R extends Stoppable>(
  spec: ServiceSpec<C, R>,
  host: ServiceProcess = PROCESS,
): Promise<R | undefined> {
  let config: C;
  try {
    config = spec.load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    host.stderr.write(`insights ${spec.command}: ${error.message}\n`);
    host.setExitCode(2);
    return undefined;
  }
  const log = serviceLogger({ service: `insights-${spec.command}`, level: config.LOG_LEVEL });
  let running: R;
  try {
    running = await spec.start(config, log);
  } catch (error) {
    log.fatal({ err: error }, `${spec.command} could not start`);
    host.setExitCode(1);
    host.exitSoon();
    return undefined;
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    running
      .stop()
      .then(() => {
        host.setExitCode(0);
        host.exitSoon();
      })
      .catch((err: unknown) => {
        log.error({ err }, 'error while stopping');
        host.setExitCode(1);
        host.exitSoon();
      });
  };
  host.signals.on('SIGTERM', () => stop('SIGTERM'));
  host.signals.on('SIGINT', () => stop('SIGINT'));
  return running;
}
