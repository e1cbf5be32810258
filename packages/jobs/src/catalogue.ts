import type { z } from 'zod';
import { QUEUES, type QueueName } from './queues.js';
import { ClusteringJob, TeamFormationJob } from './schemas.js';

/** BullMQ job options a kind of job is added with unless the caller says otherwise. */
export interface DefaultJobOptions {
  attempts: number;
  backoff: { type: 'exponential'; delay: number };
  removeOnComplete: { age: number; count: number };
  removeOnFail: { age: number; count: number };
}

/** One kind of job: its queue, BullMQ job name, payload schema and default options. */
export interface JobKind<S extends z.ZodType> {
  queue: QueueName;
  name: string;
  schema: S;
  defaults: DefaultJobOptions;
}

const DAY_SECONDS = 24 * 60 * 60;

/** Transient failures (Redis, PostgreSQL) are retried 5 times: after 2, 4, 8, 16 and 32 s. */
const RETRIES = { attempts: 6, backoff: { type: 'exponential', delay: 2_000 } } as const;

/**
 * The job catalogue: producer and worker are both typed from it. Finished jobs stay in Redis for
 * a day (failed ones a week) so that status queries work; results live in PostgreSQL.
 */
export const JOBS = {
  clustering: {
    queue: QUEUES.clustering,
    name: 'cluster',
    schema: ClusteringJob,
    defaults: { ...RETRIES, removeOnComplete: { age: DAY_SECONDS, count: 10_000 }, removeOnFail: { age: 7 * DAY_SECONDS, count: 10_000 } },
  },
  teamFormation: {
    queue: QUEUES.teamFormation,
    name: 'form-teams',
    schema: TeamFormationJob,
    defaults: { ...RETRIES, removeOnComplete: { age: DAY_SECONDS, count: 10_000 }, removeOnFail: { age: 7 * DAY_SECONDS, count: 10_000 } },
  },
} as const satisfies Record<string, JobKind<z.ZodType>>;
export type JobKindName = keyof typeof JOBS;

/** The catalogue entry of a queue. */
export function jobKindOfQueue(queue: string): (typeof JOBS)[JobKindName] | undefined {
  return Object.values(JOBS).find((kind) => kind.queue === queue);
}
