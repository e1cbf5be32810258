/** @insights/worker — the BullMQ worker process. Its entry point is `insights worker` (see runWorkerProcess). */
export { runWorkerProcess } from './run-worker-process.js';
export { startWorker, type RunningWorker } from './start-worker.js';
export { loadWorkerConfig, WorkerConfig, ConfigError } from './config.js';
export { STAGES } from './processor.js';
