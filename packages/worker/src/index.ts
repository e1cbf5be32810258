/** @insights/worker — the BullMQ worker process. Its entry point is `insights worker` (see runWorkerProcess). */
export { runWorkerProcess } from './run-worker-process.js';
export { startWorker, type RunningWorker } from './start-worker.js';
export { loadWorkerConfig, WorkerConfig } from './config.js';
export { ConfigError } from '@insights/runtime';
