import { randomUUID } from 'node:crypto';
import { FlowProducer, Queue, QueueEvents, type Job, type JobsOptions } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type pg from 'pg';
import {
  AUTO_K,
  CLUSTERING_LIMITS,
  InvalidInputError,
  parseProfiles,
  resolveOptions,
  resolveTeamOptions,
  type ClusteringOptionsInput,
  type ProfileSet,
  type TeamOptionsInput,
} from '@insights/core';
import {
  JOBS,
  parseJobPayload,
  QUEUE_NAMES,
  QUEUES,
  type JobKindName,
  type JobPayload,
  type JobSummary,
  type QueueName,
  type TraceContext,
} from '@insights/jobs';
import { Store } from '@insights/store';
import { IdempotencyKeyReusedError, JobNotFoundError, NotCancellableError, ResultTimeoutError } from './errors.js';
import { claimIdempotencyKey, idempotentJobIds, releaseIdempotencyKey, restoreIdempotencyKey } from './idempotency.js';
import { activeTraceContext, contentOf, jobOptions } from './payloads.js';

/** How long `close()` lets the queues finish connecting before closing them anyway. */
const READY_BEFORE_CLOSE_MS = 1_000;

/** Data as a caller hands it over: CSV or JSON text, or an already validated profile set. */
export type SubmittedData = { text: string; format?: 'csv' | 'json' | 'auto'; skipInvalid?: boolean } | { profiles: ProfileSet };

/** The job a submission asks for: a clustering, or a team formation (clustering first unless `clusteringJobId` names a finished one). */
export type SubmittedJob =
  | { kind: 'clustering'; options?: ClusteringOptionsInput }
  | { kind: 'team-formation'; teams: TeamOptionsInput; options?: ClusteringOptionsInput; clusteringJobId?: string };

/** One submission, as `InsightsClient.submit` takes it. */
export type SubmitRequest = SubmittedJob & {
  organization: string;
  data: SubmittedData;
  /**
   * Makes the submission idempotent: every request with this key and fingerprint (what makes two
   * requests the same, a hash of them) names the same job, added once; the key with another
   * fingerprint is refused with `IdempotencyKeyReusedError`.
   */
  idempotency?: { key: string; fingerprint: string };
  /**
   * Whether to record the job in its organisation's job index, where the HTTP API lists and finds
   * it (default true). An idempotent submission is always recorded: the index remembers its request.
   */
  listed?: boolean;
  /** Who submitted it (an API token's id), as the job index records it. */
  submittedBy?: string | null;
  /** Trace context the job carries (default: the active span's). */
  trace?: TraceContext;
  /** Called once the job id is fixed, before it is indexed and enqueued, so an audit can name a job whose enqueueing fails. */
  onJobId?: (jobId: string) => void;
};

/** What a submission answers. */
export interface Submitted {
  id: string;
  kind: SubmittedJob['kind'];
  queue: QueueName;
  /** The job's BullMQ state just after the submission (`waiting`, say, or further on for a repetition). */
  state: string;
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
interface EnqueueIds {
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
  private readonly store: Store;
  private events: Partial<Record<QueueName, QueueEvents>> = {};

  constructor(private readonly connections: ClientConnections) {
    this.prefix = connections.prefix ?? 'insights';
    this.store = new Store(connections.db, connections.schema ?? 'public');
    const options = { connection: connections.redis, prefix: this.prefix };
    this.queues = { [QUEUES.clustering]: new Queue(QUEUES.clustering, options), [QUEUES.teamFormation]: new Queue(QUEUES.teamFormation, options) } as Record<
      QueueName,
      Queue
    >;
    this.flows = new FlowProducer(options);
  }

  /**
   * Submits a job: validates the options and data, stores the data set (content-addressed), claims
   * the idempotency key if any, records the job in its organisation's index, then enqueues it. A
   * repetition of an idempotent submission enqueues again only while the first has not (BullMQ
   * ignores a job id it holds). When enqueueing fails, the submission that indexed the job takes
   * its index row and key claim back, unless a twin enqueued the job meanwhile.
   * @throws {InvalidOptionsError} or {InvalidInputError} before anything is stored
   * @throws {IdempotencyKeyReusedError} when the key was used with another fingerprint
   */
  async submit(request: SubmitRequest): Promise<Submitted> {
    const { organization, kind, idempotency } = request;
    const options = request.options ?? {};
    if (request.kind === 'team-formation') resolveTeamOptions(request.teams);
    resolveOptions(options);
    // Stored before the key is claimed: data the store refuses (fewer people than clusters) must
    // not use up the key. Storing is idempotent (content-addressed).
    const { profiles, datasetId } = await this.storeData(organization, request.data, options.clusters);
    if (idempotency) await claimIdempotencyKey(this.connections.redis, this.prefix, organization, idempotency.key, idempotency.fingerprint);
    const ids = idempotency ? idempotentJobIds(organization, idempotency.key) : { jobId: randomUUID(), childJobId: randomUUID() };
    request.onJobId?.(ids.jobId);
    const queue = kind === 'clustering' ? QUEUES.clustering : QUEUES.teamFormation;
    const flow = request.kind === 'team-formation' && request.clusteringJobId === undefined;
    const fingerprint = idempotency?.fingerprint ?? null;
    const people = profiles.ids.length;
    const listed = request.listed !== false || idempotency !== undefined;
    const indexed = !listed
      ? { inserted: true, requestFingerprint: null }
      : await this.store.indexJob({
          jobId: ids.jobId,
          organization,
          kind,
          queue,
          datasetId,
          childJobId: flow ? ids.childJobId : null,
          people,
          tokenId: request.submittedBy ?? null,
          requestFingerprint: fingerprint,
        });
    // Redis forgets keys after a day (or on a restart); the index row remembers the request for as long as it lives.
    if (!indexed.inserted && indexed.requestFingerprint !== fingerprint) {
      if (idempotency && indexed.requestFingerprint !== null) {
        await restoreIdempotencyKey(this.connections.redis, this.prefix, organization, idempotency.key, indexed.requestFingerprint);
      }
      throw new IdempotencyKeyReusedError('this Idempotency-Key was used before with a different request; use a new key for a new request');
    }
    if (indexed.inserted || (await this.jobState(ids.jobId, queue)) === null) {
      try {
        const trace = { trace: request.trace };
        if (request.kind === 'clustering') await this.enqueueClustering(organization, datasetId, options, { ...trace, jobId: ids.jobId });
        else
          await this.enqueueTeamFormation(organization, datasetId, request.teams, { options, clusteringJobId: request.clusteringJobId }, { ...trace, ...ids });
      } catch (error) {
        if (listed && indexed.inserted && (await this.jobState(ids.jobId, queue).catch(() => null)) === null)
          await this.takeBack(organization, ids.jobId, idempotency);
        throw error;
      }
    }
    const submitted: Submitted = {
      id: ids.jobId,
      kind,
      queue,
      state: (await this.jobState(ids.jobId, queue)) ?? 'waiting',
      datasetId,
      people,
      skipped: profiles.skipped,
    };
    if (flow) submitted.clusteringJobId = ids.childJobId;
    return submitted;
  }

  /** Validates and stores the data, then enqueues a clustering job: `submit` without an idempotency key, not listed in the job index. */
  async submitClustering(organization: string, data: SubmittedData, options: ClusteringOptionsInput = {}, trace?: TraceContext): Promise<Submitted> {
    return this.submit({ kind: 'clustering', organization, data, options, trace, listed: false });
  }

  /**
   * Validates and stores the data, then enqueues a team formation: on the stored result of
   * `clusteringJobId` when given, else as a flow whose clustering child runs first: `submit`
   * without an idempotency key, not listed in the job index.
   */
  async submitTeamFormation(
    organization: string,
    data: SubmittedData,
    teams: TeamOptionsInput,
    clustering: { options?: ClusteringOptionsInput; clusteringJobId?: string } = {},
    trace?: TraceContext,
  ): Promise<Submitted> {
    return this.submit({
      kind: 'team-formation',
      organization,
      data,
      teams,
      options: clustering.options,
      clusteringJobId: clustering.clusteringJobId,
      trace,
      listed: false,
    });
  }

  /** Validates data (unless already a profile set) and stores it, content-addressed. Refuses fewer people than clusters. */
  private async storeData(
    organization: string,
    data: SubmittedData,
    clusters: ClusteringOptionsInput['clusters'],
  ): Promise<{ profiles: ProfileSet; datasetId: string }> {
    const profiles = 'profiles' in data ? data.profiles : parseProfiles(data.text, { format: data.format ?? 'auto', skipInvalid: data.skipInvalid ?? false });
    // `auto` tries k from AUTO_K.min up to one fewer than the rows, so it needs one row more than that.
    const k = typeof clusters === 'number' ? clusters : clusters === 'auto' ? AUTO_K.min + 1 : CLUSTERING_LIMITS.clusters.default;
    if (profiles.ids.length < k) {
      const asked = clusters === 'auto' ? 'choosing k automatically needs at least 3' : `${k} clusters were requested`;
      throw new InvalidInputError([{ reason: `fewer rows than clusters: ${profiles.ids.length} valid rows, but ${asked}` }]);
    }
    const { id } = await this.store.putDataset(organization, contentOf(profiles));
    return { profiles, datasetId: id };
  }

  /** Enqueues a clustering job on a stored data set; with `ids.jobId` a second call adds nothing. */
  private async enqueueClustering(organization: string, datasetId: string, options: ClusteringOptionsInput, ids: EnqueueIds = {}): Promise<string> {
    const payload = parseJobPayload('clustering', { organization, datasetId, options: jobOptions(options), trace: ids.trace ?? activeTraceContext() });
    const id = ids.jobId ?? randomUUID();
    await this.add('clustering', payload, id);
    return id;
  }

  /**
   * Enqueues a team formation on a stored data set: on the result of `clusteringJobId`, or as a
   * flow with a clustering child (`ids.childJobId`, random when absent).
   */
  private async enqueueTeamFormation(
    organization: string,
    datasetId: string,
    teams: TeamOptionsInput,
    clustering: { options?: ClusteringOptionsInput; clusteringJobId?: string } = {},
    ids: EnqueueIds & { childJobId?: string } = {},
  ): Promise<{ id: string; clusteringJobId?: string }> {
    const id = ids.jobId ?? randomUUID();
    const teamPayload = parseJobPayload('teamFormation', {
      organization,
      datasetId,
      teams,
      clusteringJobId: clustering.clusteringJobId,
      trace: ids.trace ?? activeTraceContext(),
    });
    if (clustering.clusteringJobId) {
      await this.add('teamFormation', teamPayload, id);
      return { id };
    }
    const childId = ids.childJobId ?? randomUUID();
    const childPayload = parseJobPayload('clustering', {
      organization,
      datasetId,
      options: jobOptions(clustering.options ?? {}),
      trace: ids.trace ?? activeTraceContext(),
    });
    await this.flows.add({
      name: JOBS.teamFormation.name,
      queueName: QUEUES.teamFormation,
      data: teamPayload,
      opts: { ...JOBS.teamFormation.defaults, jobId: id } as JobsOptions,
      children: [
        {
          name: JOBS.clustering.name,
          queueName: QUEUES.clustering,
          data: childPayload,
          opts: { ...JOBS.clustering.defaults, jobId: childId, failParentOnFailure: true },
        },
      ],
    });
    return { id, clusteringJobId: childId };
  }

  /** Adds a checked payload of a kind to that kind's queue, under its job name and default options (the catalogue's entry). */
  private async add<K extends JobKindName>(kind: K, payload: JobPayload<K>, jobId: string): Promise<void> {
    const entry = JOBS[kind];
    await this.queues[entry.queue].add(entry.name, payload, { ...entry.defaults, jobId });
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
    const row = await this.store.getResult(id, organization);
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
    // A BullMQ connection closed while it still initialises attaches its error listener afterwards
    // and keeps it: the caller's later quit() would then raise an 'error' nobody listens to (seen on
    // a Redis Cluster). Letting initialisation finish first makes close() detach it; bounded, so
    // that a Redis that is down cannot hold the close.
    let timer: NodeJS.Timeout | undefined;
    const ready = Promise.all([...Object.values(this.queues), this.flows].map((q) => q.waitUntilReady().catch(() => undefined)));
    await Promise.race([ready, new Promise((resolve) => (timer = setTimeout(resolve, READY_BEFORE_CLOSE_MS)))]);
    clearTimeout(timer);
    await Promise.all([...Object.values(this.queues).map((q) => q.close()), this.flows.close(), ...Object.values(this.events).map((e) => e.close())]);
  }

  /** Undoes what a failed submission recorded: its index row and its claim on the key. */
  private async takeBack(organization: string, jobId: string, idempotency: SubmitRequest['idempotency']): Promise<void> {
    await this.store.unindexJob(jobId, organization).catch(() => undefined);
    if (idempotency) {
      await releaseIdempotencyKey(this.connections.redis, this.prefix, organization, idempotency.key, idempotency.fingerprint).catch(() => undefined);
    }
  }

  private async find(id: string, only?: QueueName): Promise<{ job: Job; queue: QueueName }> {
    for (const queue of only ? [only] : QUEUE_NAMES) {
      const job = await this.queues[queue].getJob(id);
      if (job) return { job, queue };
    }
    throw new JobNotFoundError(id);
  }
}
