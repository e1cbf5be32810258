import { runService } from '@insights/runtime';
import { loadWorkerConfig } from './config.js';
import { startWorker, type RunningWorker } from './start-worker.js';

/**
 * `insights worker`: runs until SIGTERM or SIGINT, then drains and exits 0. Bad configuration
 * exits 2 with every problem listed; a failure to start exits 1.
 */
export function runWorkerProcess(env: NodeJS.ProcessEnv = process.env): Promise<RunningWorker | undefined> {
  return runService({ command: 'worker', load: () => loadWorkerConfig(env), start: startWorker });
}
