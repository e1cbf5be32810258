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

/** The payload of a kind of job, as its schema gives it (defaults filled in): what a handler receives. */
export type JobPayload<K extends JobKindName> = z.output<(typeof JOBS)[K]['schema']>;

/** The payload of a kind of job as a producer hands it over, before its schema fills in defaults. */
export type JobPayloadInput<K extends JobKindName> = z.input<(typeof JOBS)[K]['schema']>;

/**
 * One handler per kind of job, each typed by its kind's payload: the worker binds them to the
 * catalogue, so that a kind without a handler, or a handler of the wrong payload, does not compile.
 */
export type JobHandlers<Context, Result> = { [K in JobKindName]: (payload: JobPayload<K>, context: Context) => Result };

/** The kind of job a queue carries, if any. */
export function jobKindOfQueue(queue: string): JobKindName | undefined {
  return (Object.keys(JOBS) as JobKindName[]).find((kind) => JOBS[kind].queue === queue);
}

/**
 * A producer's payload of a kind, typed by the kind's schema and checked by it at run time,
 * defaults filled in. Throws the schema's ZodError when the payload does not match.
 */
export function parseJobPayload<K extends JobKindName>(kind: K, payload: JobPayloadInput<K>): JobPayload<K> {
  return JOBS[kind].schema.parse(payload) as JobPayload<K>;
}
