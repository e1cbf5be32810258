import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { JobError, JobErrorCode } from '@insights/jobs';
import type { ComputeOutcome, ComputeTask, StageReport } from './compute-task.js';

/** A pool of worker threads for the CPU-heavy part of jobs. */
export interface ComputePool {
  /** Runs a task on a thread; stages reported by the thread (and `done`) go to `onStage`. */
  run(task: ComputeTask, onStage?: (report: StageReport) => void): Promise<ComputeOutcome>;
  /** Threads currently computing. */
  busy(): number;
  readonly threads: number;
  close(): Promise<void>;
}

/**
 * Starts `threads` worker threads, each with a heap limit of `memoryMb`: a job too large for it
 * fails with OUT_OF_MEMORY and its thread is replaced, while the process serves on.
 */
export function createComputePool(threads: number, memoryMb: number): ComputePool {
  const pool = new Piscina({
    filename: new URL('./compute-thread.js', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: Infinity,
    resourceLimits: { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: Math.max(16, Math.floor(memoryMb / 16)) },
  });
  let running = 0;
  let closing: Promise<void> | undefined;
  return {
    threads,
    busy: () => running,
    async run(task, onStage) {
      const channel = new MessageChannel();
      channel.port1.on('message', (report: StageReport) => onStage?.(report));
      running++;
      try {
        return (await pool.run({ ...task, progress: channel.port2 }, { transferList: [channel.port2] })) as ComputeOutcome;
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === 'ERR_WORKER_OUT_OF_MEMORY') {
          throw new JobError(JobErrorCode.OUT_OF_MEMORY, `the computation needed more than the ${memoryMb} MB a thread may use (WORKER_THREAD_MEMORY_MB)`, {
            cause: error,
          });
        }
        throw error;
      } finally {
        running--;
        channel.port1.close();
      }
    },
    // Memoised: a drain timeout stops the threads early, and the shutdown closes them again.
    close: () => (closing ??= pool.destroy()),
  };
}
