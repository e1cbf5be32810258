import { randomUUID } from 'node:crypto';
import { context, propagation } from '@opentelemetry/api';
import { FlowProducer, Queue, QueueEvents, type Job, type JobsOptions } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type pg from 'pg';
import {
  InvalidInputError,
  parseProfiles,
  resolveOptions,
  resolveTeamOptions,
  type ClusteringOptionsInput,
  type ProfileSet,
  type TeamOptionsInput,
} from '@insights/core';
import { ClusteringJob, JOBS, QUEUE_NAMES, QUEUES, TeamFormationJob, type JobSummary, type QueueName, type TraceContext } from '@insights/jobs';
import { getResult, putDataset, type DatasetContent } from '@insights/store';
import { JobNotFoundError, NotCancellableError, ResultTimeoutError } from './errors.js';

/** Data as a caller hands it over: CSV or JSON text, or an already validated profile set. */
export type SubmittedData = { text: string; format?: 'csv' | 'json' | 'auto'; skipInvalid?: boolean } | { profiles: ProfileSet };

/** What a submission answers. */
export interface Submitted {
  id: string;
  queue: QueueName;
  datasetId: string;
  /** People in the data set (after any skipped rows). */
  people: number;
  /** Rows left out because `skipInvalid` was asked for. */
  skipped: ProfileSet['skipped'];
  /** With a team formation that clusters first: the id of that clustering job. */
  clusteringJobId?: string;
}

/** A job's state as callers see it. */
export interface JobStatus {
  id: string;
  queue: QueueName;
  state: string;
  progress: unknown;
  attempts: number;
  failedReason: string | null;
  summary: JobSummary | null;
}

/** Job ids and trace context of an enqueue; ids are random unless given. */
export interface EnqueueIds {
  jobId?: string;
  trace?: TraceContext;
}

/** Where the client finds Redis and PostgreSQL. */
export interface ClientConnections {
  redis: Redis | Cluster;
  db: pg.Pool;
  /** Queue key prefix (default `insights`). */
  prefix?: string;
  /** PostgreSQL schema (default `public`). */
  schema?: string;
}

/**
 * The client other services use: validates data before anything is enqueued, stores the data
 * set in PostgreSQL (once, however often it is submitted), and adds a job that carries only the
 * data set's id.
 */
export class InsightsClient {
  private readonly queues: Record<QueueName, Queue>;
  private readonly flows: FlowProducer;
  private readonly prefix: string;
  private readonly schema: string;
  private events: Partial<Record<QueueName, QueueEvents>> = {};

  constructor(private readonly connections: ClientConnections) {
    this.prefix = connections.prefix ?? 'insights';
    this.schema = connections.schema ?? 'public';
    const options = { connection: connections.redis, prefix: this.prefix };
    this.queues = { [QUEUES.clustering]: new Queue(QUEUES.clustering, options), [QUEUES.teamFormation]: new Queue(QUEUES.teamFormation, options) } as Record<QueueName, Queue>;
    this.flows = new FlowProducer(options);
  }

  /** Validates and stores the data, then enqueues a clustering job. */
  async submitClustering(organization: string, data: SubmittedData, options: ClusteringOptionsInput = {}, trace?: TraceContext): Promise<Submitted> {
    resolveOptions(options);
    const { profiles, datasetId } = await this.storeData(organization, data, options.clusters);
    const id = await this.enqueueClustering(organization, datasetId, options, { trace });
    return { id, queue: QUEUES.clustering, datasetId, people: profiles.ids.length, skipped: profiles.skipped };
  }

  /**
   * Validates and stores the data, then enqueues a team formation: on the stored result of
   * `clusteringJobId` when given, else as a flow whose clustering child runs first.
   */
  async submitTeamFormation(
    organization: string,
    data: SubmittedData,
    teams: TeamOptionsInput,
    clustering: { options?: ClusteringOptionsInput; clusteringJobId?: string } = {},
    trace?: TraceContext,
  ): Promise<Submitted> {
    resolveTeamOptions(teams);
    resolveOptions(clustering.options ?? {});
    const { profiles, datasetId } = await this.storeData(organization, data, clustering.options?.clusters);
    const enqueued = await this.enqueueTeamFormation(organization, datasetId, teams, clustering, { trace });
    const submitted: Submitted = { id: enqueued.id, queue: QUEUES.teamFormation, datasetId, people: profiles.ids.length, skipped: profiles.skipped };
    if (enqueued.clusteringJobId) submitted.clusteringJobId = enqueued.clusteringJobId;
    return submitted;
  }

  /**
   * Validates data (unless already a profile set) and stores it, content-addressed: the first half
   * of a submission, for callers (the HTTP API) that record the job before enqueueing it.
   * Refuses fewer people than clusters.
   */
  async storeData(organization: string, data: SubmittedData, clusters: ClusteringOptionsInput['clusters']): Promise<{ profiles: ProfileSet; datasetId: string }> {
    const profiles = 'profiles' in data ? data.profiles : parseProfiles(data.text, { format: data.format ?? 'auto', skipInvalid: data.skipInvalid ?? false });
    const k = typeof clusters === 'number' ? clusters : clusters === 'auto' ? 3 : 4;
    if (profiles.ids.length < k) {
      const asked = clusters === 'auto' ? 'choosing k automatically needs at least 3' : `${k} clusters were requested`;
      throw new InvalidInputError([{ reason: `fewer rows than clusters: ${profiles.ids.length} valid rows, but ${asked}` }]);
    }
    const { id } = await putDataset(this.connections.db, organization, contentOf(profiles), { schema: this.schema });
    return { profiles, datasetId: id };
  }

  /**
   * Enqueues a clustering job on a stored data set. With `ids.jobId` a second call adds nothing
   * (BullMQ ignores a job id it already holds), which makes idempotent submissions possible.
   */
  async enqueueClustering(organization: string, datasetId: string, options: ClusteringOptionsInput, ids: EnqueueIds = {}): Promise<string> {
    const payload = ClusteringJob.parse({ organization, datasetId, options: jobOptions(options), trace: ids.trace ?? activeTraceContext() });
    const id = ids.jobId ?? randomUUID();
    await this.queues[QUEUES.clustering].add(JOBS.clustering.name, payload, { ...JOBS.clustering.defaults, jobId: id });
    return id;
  }

  /**
   * Enqueues a team formation on a stored data set: on the result of `clusteringJobId`, or as a
   * flow with a clustering child (`ids.childJobId`, random when absent).
   */
  async enqueueTeamFormation(
    organization: string,
    datasetId: string,
    teams: TeamOptionsInput,
    clustering: { options?: ClusteringOptionsInput; clusteringJobId?: string } = {},
    ids: EnqueueIds & { childJobId?: string } = {},
  ): Promise<{ id: string; clusteringJobId?: string }> {
    const id = ids.jobId ?? randomUUID();
    const teamPayload = TeamFormationJob.parse({ organization, datasetId, teams, clusteringJobId: clustering.clusteringJobId, trace: ids.trace ?? activeTraceContext() });
    if (clustering.clusteringJobId) {
      await this.queues[QUEUES.teamFormation].add(JOBS.teamFormation.name, teamPayload, { ...JOBS.teamFormation.defaults, jobId: id });
      return { id };
    }
    const childId = ids.childJobId ?? randomUUID();
    const childPayload = ClusteringJob.parse({ organization, datasetId, options: jobOptions(clustering.options ?? {}), trace: ids.trace ?? activeTraceContext() });
    await this.flows.add({
      name: JOBS.teamFormation.name,
      queueName: QUEUES.teamFormation,
      data: teamPayload,
      opts: { ...JOBS.teamFormation.defaults, jobId: id } as JobsOptions,
      children: [{ name: JOBS.clustering.name, queueName: QUEUES.clustering, data: childPayload, opts: { ...JOBS.clustering.defaults, jobId: childId, failParentOnFailure: true } }],
    });
    return { id, clusteringJobId: childId };
  }

  /** A job's BullMQ state, or null when the queue does not hold it (never added, or removed). */
  async jobState(id: string, queue: QueueName): Promise<string | null> {
    const state = await this.queues[queue].getJobState(id);
    return state === 'unknown' ? null : state;
  }

  /** State, progress, attempts, failure reason and summary of a job in either queue (or in `only`). */
  async getJob(id: string, only?: QueueName): Promise<JobStatus> {
    const { job, queue } = await this.find(id, only);
    const state = await job.getState();
    return {
      id,
      queue,
      state,
      progress: job.progress,
      attempts: job.attemptsMade,
      failedReason: job.failedReason ?? null,
      summary: (job.returnvalue as JobSummary | null) ?? null,
    };
  }

  /** The stored result of a finished job (the JSON that `insights cluster`/`teams` prints). */
  async getResult(id: string, organization: string): Promise<unknown | null> {
    const row = await getResult(this.connections.db, id, organization, { schema: this.schema });
    return row ? row.result : null;
  }

  /** Waits until a job has finished; resolves with its summary, rejects with its failure reason. */
  async waitForResult(id: string, timeoutMs = 600_000): Promise<JobSummary> {
    const { job, queue } = await this.find(id);
    const events = (this.events[queue] ??= new QueueEvents(queue, { connection: this.connections.redis, prefix: this.prefix }));
    await events.waitUntilReady();
    let timer: NodeJS.Timeout | undefined;
    try {
      return (await Promise.race([
        job.waitUntilFinished(events, timeoutMs),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new ResultTimeoutError(id, timeoutMs)), timeoutMs);
        }),
      ])) as JobSummary;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Removes a job that has not started; a running or finished job cannot be cancelled. */
  async cancel(id: string): Promise<void> {
    const { job } = await this.find(id);
    const state = await job.getState();
    if (state !== 'waiting' && state !== 'delayed' && state !== 'prioritized' && state !== 'waiting-children') throw new NotCancellableError(id, state);
    await job.remove({ removeChildren: true });
  }

  /**
   * Removes a job that is not running, whatever else its state (waiting or finished), with its
   * flow children; answers the state it had, or null when the queue no longer held it.
   * @throws {NotCancellableError} when the job (or a child) is running
   */
  async remove(id: string, queue: QueueName): Promise<string | null> {
    const job = await this.queues[queue].getJob(id);
    if (!job) return null;
    const state = await job.getState();
    if (state === 'active') throw new NotCancellableError(id, state);
    try {
      await job.remove({ removeChildren: true });
    } catch (error) {
      // BullMQ refuses to remove a job (or child) that a worker holds the lock of: it is running.
      if (/locked/i.test((error as Error).message)) throw new NotCancellableError(id, 'active');
      throw error;
    }
    return state;
  }

  /** Closes the queues and event listeners (not the connections the caller passed in). */
  async close(): Promise<void> {
    await Promise.all([...Object.values(this.queues).map((q) => q.close()), this.flows.close(), ...Object.values(this.events).map((e) => e.close())]);
  }

  private async find(id: string, only?: QueueName): Promise<{ job: Job; queue: QueueName }> {
    for (const queue of only ? [only] : QUEUE_NAMES) {
      const job = await this.queues[queue].getJob(id);
      if (job) return { job, queue };
    }
    throw new JobNotFoundError(id);
  }
}

/** The clustering options a job carries: the top-level ones, and method parameters nested. */
function jobOptions(options: ClusteringOptionsInput): Record<string, unknown> {
  const { method, clusters, seed, stabilityRuns, nInit, ...parameters } = options;
  const out: Record<string, unknown> = { method, clusters, seed, stabilityRuns, nInit };
  if (Object.keys(parameters).length > 0) out.parameters = parameters;
  for (const key of Object.keys(out)) if (out[key] === undefined) delete out[key];
  return out;
}

/**
 * The W3C trace context of the active span (an API request's, say), so that the worker continues
 * the caller's trace; undefined when no span is active or tracing is off.
 */
function activeTraceContext(): TraceContext | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  if (!carrier.traceparent) return undefined;
  return carrier.tracestate ? { traceparent: carrier.traceparent, tracestate: carrier.tracestate } : { traceparent: carrier.traceparent };
}

/** A profile set as stored. */
export function contentOf(profiles: ProfileSet): DatasetContent {
  return {
    ids: [...profiles.ids],
    energies: Array.from(profiles.energies),
    lines: Array.from(profiles.lines),
    lineUnit: profiles.lineUnit,
    metadata: Object.fromEntries(Object.entries(profiles.metadata).map(([k, v]) => [k, [...v]])),
    skipped: profiles.skipped.map((s) => ({ ...s, reasons: [...s.reasons] })),
  };
}
