import { Queue, type Job } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import { QUEUE_NAMES, type QueueName } from '@insights/jobs';
import { JobNotFoundError, NotCancellableError } from './errors.js';

/** Job states an operator lists by. */
export const LISTED_STATES = ['waiting', 'prioritized', 'waiting-children', 'delayed', 'active', 'completed', 'failed'] as const;
/** A state `insights jobs list --state` takes. */
export type ListedState = (typeof LISTED_STATES)[number];
/** The states `clean` removes jobs from (BullMQ's `Queue.clean` types). */
export const CLEANABLE_STATES = ['completed', 'failed', 'wait', 'delayed', 'prioritized'] as const;
/** A state `insights queues clean --state` takes. */
export type CleanableState = (typeof CLEANABLE_STATES)[number];

/** A job as an operator's listing shows it: never its data, which holds only a data set id anyway. */
export interface JobRow {
  id: string;
  queue: QueueName;
  name: string;
  state: string;
  organization: string | null;
  attempts: number;
  /** When it was added (ms since the epoch). */
  addedAt: number;
  failedReason: string | null;
}

/** A queue's state: paused or not, and its jobs by state. */
export interface QueueRow {
  queue: QueueName;
  paused: boolean;
  counts: Record<string, number>;
}

/** A worker connection BullMQ sees on a queue (from Redis `CLIENT LIST`). */
export interface WorkerRow {
  queue: QueueName;
  name: string;
  addr: string;
  /** Seconds since it connected. */
  ageSeconds: number;
}

/**
 * What operators do to the queues, as `celery inspect` and BullMQ's own tools offer: list and look
 * at jobs of any route (the API's and `submit`'s share the queues), retry failed ones, see the
 * workers and the jobs in flight, pause, resume and clean a queue. On the caller's Redis
 * connection; `close` closes the queues only.
 */
export class QueueAdmin {
  private readonly queues: Record<QueueName, Queue>;

  constructor(redis: Redis | Cluster, prefix = 'insights') {
    const options = { connection: redis, prefix };
    this.queues = Object.fromEntries(QUEUE_NAMES.map((name) => [name, new Queue(name, options)])) as Record<QueueName, Queue>;
  }

  /** The queues' names, or the one asked for (refused when unknown). */
  queueNames(only?: string): QueueName[] {
    if (only === undefined) return [...QUEUE_NAMES];
    if (!(QUEUE_NAMES as readonly string[]).includes(only)) throw new RangeError(`no queue ${only}: expected ${QUEUE_NAMES.join(' or ')}`);
    return [only as QueueName];
  }

  /** The newest jobs in the given states, of every queue (or one), newest first, at most `limit`. */
  async listJobs(states: readonly ListedState[], limit: number, only?: string): Promise<JobRow[]> {
    const rows: JobRow[] = [];
    for (const queue of this.queueNames(only)) {
      const jobs = await this.queues[queue].getJobs([...states], 0, limit - 1, false);
      for (const job of jobs) rows.push(await rowOf(job, queue));
    }
    return rows.sort((a, b) => b.addedAt - a.addedAt).slice(0, limit);
  }

  /** One job, wherever it is. @throws {JobNotFoundError} */
  async showJob(id: string): Promise<JobRow & { progress: unknown; logs: string[] }> {
    for (const queue of QUEUE_NAMES) {
      const job = await this.queues[queue].getJob(id);
      if (!job) continue;
      const { logs } = await this.queues[queue].getJobLogs(id);
      return { ...(await rowOf(job, queue)), progress: job.progress, logs };
    }
    throw new JobNotFoundError(id);
  }

  /** Moves a failed job back to waiting. @throws {JobNotFoundError} @throws {NotCancellableError} when it has not failed */
  async retryJob(id: string): Promise<void> {
    for (const queue of QUEUE_NAMES) {
      const job = await this.queues[queue].getJob(id);
      if (!job) continue;
      const state = await job.getState();
      if (state !== 'failed') throw new NotCancellableError(id, state);
      await job.retry('failed');
      return;
    }
    throw new JobNotFoundError(id);
  }

  /** Paused or not, and the counts by state, of each queue (or one). */
  async queueRows(only?: string): Promise<QueueRow[]> {
    return Promise.all(
      this.queueNames(only).map(async (queue) => ({
        queue,
        paused: await this.queues[queue].isPaused(),
        counts: await this.queues[queue].getJobCounts('waiting', 'prioritized', 'waiting-children', 'delayed', 'active', 'completed', 'failed', 'paused'),
      })),
    );
  }

  /** Pauses (or resumes) each queue (or one): workers finish what they hold and take nothing new. */
  async setPaused(paused: boolean, only?: string): Promise<QueueName[]> {
    const names = this.queueNames(only);
    for (const queue of names) await (paused ? this.queues[queue].pause() : this.queues[queue].resume());
    return names;
  }

  /** Removes jobs in `state` older than `graceMs`, at most `limit` per queue; answers how many per queue. */
  async clean(state: CleanableState, graceMs: number, limit: number, only?: string): Promise<Record<string, number>> {
    const removed: Record<string, number> = {};
    for (const queue of this.queueNames(only)) removed[queue] = (await this.queues[queue].clean(graceMs, limit, state)).length;
    return removed;
  }

  /** The workers connected to each queue, and the jobs each queue has in flight. */
  async workers(): Promise<{ workers: WorkerRow[]; active: JobRow[] }> {
    const workers: WorkerRow[] = [];
    const active: JobRow[] = [];
    for (const queue of QUEUE_NAMES) {
      for (const worker of await this.queues[queue].getWorkers()) {
        workers.push({ queue, name: String(worker.name ?? ''), addr: String(worker.addr ?? ''), ageSeconds: Number(worker.age ?? 0) });
      }
      for (const job of await this.queues[queue].getActive()) active.push(await rowOf(job, queue, 'active'));
    }
    return { workers, active };
  }

  /** Closes the queues (not the connection the caller passed in). */
  async close(): Promise<void> {
    await Promise.all(Object.values(this.queues).map((queue) => queue.close()));
  }
}

async function rowOf(job: Job, queue: QueueName, known?: string): Promise<JobRow> {
  const data = job.data as { organization?: unknown } | undefined;
  return {
    id: job.id!,
    queue,
    name: job.name,
    state: known ?? (await job.getState()),
    organization: typeof data?.organization === 'string' ? data.organization : null,
    attempts: job.attemptsMade,
    addedAt: job.timestamp,
    failedReason: job.failedReason ?? null,
  };
}
