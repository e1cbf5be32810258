import { QueueEvents } from 'bullmq';
import type { Logger } from 'pino';
import { QUEUES } from '@insights/jobs';
import type { JobMetrics } from './job-metrics.js';
import type { RedisClient } from '@insights/runtime';

/** What the event listeners need. */
export interface JobEventOptions {
  /** The connection QueueEvents duplicates for its blocking reads (`maxRetriesPerRequest: null`). */
  connection: RedisClient;
  /** A connection for the few reads an event needs (a failed job's payload, a delayed job's attempts). */
  lookup: RedisClient;
  prefix: string;
  queues: readonly string[];
  metrics: JobMetrics;
  log: Logger;
}

/** The running listeners. */
export interface JobEventListeners {
  /** Resolves once every queue's listener is connected. */
  ready(): Promise<void>;
  /** Stops listening and closes the blocking connections. */
  close(): Promise<void>;
}

/**
 * Listens to each queue's event stream (BullMQ QueueEvents, from the moment it starts: an
 * exporter that is down misses events, and Prometheus' `rate()` treats its restart as a counter
 * reset) and feeds the job metrics:
 *
 * - every event: the queue's last-event time, so that a stream the exporter no longer hears shows;
 * - `added`: a job submitted;
 * - `completed`: the JobSummary the worker returned, so the figures survive the job's removal;
 * - `failed` (for good: BullMQ emits it only once no attempt is left or the error is
 *   unrecoverable), in every queue: its reason's code; the job's payload, read while the job is
 *   still there, gives a clustering job's method and organisation;
 * - `active` of a clustering job: its payload's method and organisation start the
 *   `clustering_jobs_total` series at 0 before the job can finish, so that the first job of a new
 *   organisation shows in `increase()` (one HGET; the lookup connection answers in order, so this
 *   read resolves before that of the job's own `failed` event);
 * - `stalled`: a job handed back after its worker died;
 * - `delayed` of a job that has made an attempt and has a failure reason: a failed attempt put
 *   back for its backoff, i.e. a retry. BullMQ emits no `failed` event for attempts that will be
 *   retried. A retry without backoff emits only `waiting`, which a hand-back emits too; the job
 *   catalogue always backs off, so those are not counted.
 */
export async function listenToJobEvents(options: JobEventOptions): Promise<JobEventListeners> {
  const { lookup, prefix, metrics, log } = options;
  // Each stream is read from its last entry now, not from whenever the blocking read starts:
  // events of jobs that finish while the listeners connect are not lost.
  const lastIds = await Promise.all(options.queues.map((queue) => lastEventId(lookup, `${prefix}:${queue}:events`)));
  const listeners = options.queues.map((queue, i) => {
    const queueLog = log.child({ queue });
    const events = new QueueEvents(queue, { connection: options.connection, prefix, lastEventId: lastIds[i]! });
    const jobKey = (jobId: string) => `${prefix}:${queue}:${jobId}`;
    events.on('error', (err) => queueLog.warn({ err }, 'queue events error'));
    for (const event of ['added', 'active', 'completed', 'failed', 'stalled', 'delayed', 'waiting', 'progress'] as const)
      events.on(event, () => metrics.heard(queue));
    events.on('added', ({ jobId }) => {
      metrics.added(queue);
      recorded('added', jobId);
    });
    const recorded = (event: string, jobId: string, extra: Record<string, unknown> = {}) =>
      queueLog.debug({ event, job_id: jobId, ...extra }, 'job event recorded');
    events.on('completed', ({ jobId, returnvalue }) => {
      metrics.completed(queue, returnvalue);
      recorded('completed', jobId);
    });
    if (queue === QUEUES.clustering) {
      events.on('active', ({ jobId }) => {
        lookup
          .hget(jobKey(jobId), 'data')
          .then((data) => {
            if (data !== null) metrics.active(queue, parseJson(data));
            recorded('active', jobId);
          })
          .catch((err: unknown) => queueLog.warn({ err, job_id: jobId }, 'could not read an active job; its series may start at 1'));
      });
    }
    events.on('stalled', ({ jobId }) => {
      metrics.stalled(queue);
      recorded('stalled', jobId);
    });
    events.on('failed', ({ jobId, failedReason }) => {
      lookup
        .hget(jobKey(jobId), 'data')
        .then((data) => metrics.failed(queue, data === null ? undefined : parseJson(data), failedReason))
        .catch((err: unknown) => {
          queueLog.warn({ err, job_id: jobId }, 'could not read a failed job; counted with method and organization unknown');
          metrics.failed(queue, undefined, failedReason);
        })
        .finally(() => recorded('failed', jobId));
    });
    events.on('delayed', ({ jobId }) => {
      lookup
        .hmget(jobKey(jobId), 'atm', 'failedReason')
        .then(([attempts, failedReason]) => {
          const retry = Number(attempts) >= 1 && Boolean(failedReason);
          if (retry) metrics.retried(queue);
          recorded('delayed', jobId, { retry });
        })
        .catch((err: unknown) => queueLog.warn({ err, job_id: jobId }, 'could not read a delayed job; a retry may be uncounted'));
    });
    return events;
  });
  return {
    ready: async () => {
      await Promise.all(listeners.map((events) => events.waitUntilReady()));
    },
    close: async () => {
      await Promise.all(listeners.map((events) => events.close()));
    },
  };
}

/** The id of a stream's last entry, or `0-0` when it is empty. */
async function lastEventId(redis: RedisClient, key: string): Promise<string> {
  const [last] = await redis.xrevrange(key, '+', '-', 'COUNT', 1);
  return last?.[0] ?? '0-0';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
