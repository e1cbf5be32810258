import type { Logger } from 'pino';
import { QUEUE_NAMES } from '@insights/jobs';
import { Scope } from '@insights/runtime';
import type { WorkerConfig } from './config.js';
import { drainWorker } from './drainer.js';
import { buildWorkerParts } from './worker-parts.js';

/** A running worker process's parts, and how to stop them. */
export interface RunningWorker {
  /** Where /metrics and /health listen. */
  port: number;
  /**
   * Stops taking jobs and lets those in flight finish, up to the drain timeout; jobs still
   * running then are moved back to waiting, for another worker to take. Then closes every part,
   * each within a bounded time, whatever Redis and PostgreSQL are doing.
   */
  stop(): Promise<{ handedBack: number }>;
}

/**
 * Starts a worker on both queues: its parts built in order (see buildWorkerParts), /metrics and
 * /health listening, then jobs taken. A start failing half-way closes what it had opened.
 */
export async function startWorker(config: WorkerConfig, log: Logger): Promise<RunningWorker> {
  const scope = new Scope({ onCloseFailure: ({ name, error }) => log.warn({ part: name, err: error }, 'a part failed to close') });
  const parts = await scope.closeAfter(async () => {
    const built = await buildWorkerParts(config, log, scope);
    await built.http.listen({ port: config.WORKER_METRICS_PORT, host: config.WORKER_METRICS_HOST });
    return built;
  });
  for (const worker of parts.workers) void worker.run().catch((err: unknown) => log.error({ err }, 'worker stopped taking jobs'));
  const address = parts.http.server.address();
  const port = typeof address === 'object' && address ? address.port : config.WORKER_METRICS_PORT;
  log.info({ port, queues: QUEUE_NAMES, concurrency: config.WORKER_CONCURRENCY, threads: config.WORKER_THREADS }, 'worker ready');

  let stopping: Promise<{ handedBack: number }> | undefined;
  return {
    port,
    stop() {
      stopping ??= (async () => {
        const { handedBack } = await drainWorker(parts, config.WORKER_DRAIN_TIMEOUT_MS, log);
        await scope.close();
        log.info({ handed_back: handedBack }, 'worker stopped');
        return { handedBack };
      })();
      return stopping;
    },
  };
}
