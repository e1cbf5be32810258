import type { Job } from 'bullmq';
import type { z } from 'zod';
import {
  JOB_STAGES,
  JobError,
  JobErrorCode,
  JOBS,
  jobKindOfQueue,
  type ClusteringJob,
  type JobHandlers,
  type JobKindName,
  type JobPayload,
  type JobSummary,
  type TeamFormationJob,
} from '@insights/jobs';
import { isUnavailable, type DatasetContent, type JobResult, type Store } from '@insights/store';
import { TEAM_STRATEGY, type ClusteringResult, type TeamFormationResult } from '@insights/core';
import { annotateActiveSpan, inSpan, StageSpans } from '@insights/telemetry';
import type { ComputePool } from './compute-pool.js';
import type { ComputeOutcome, ComputeTask, StageReport } from './compute-task.js';

/** What a job processor needs. */
export interface ProcessorDeps {
  store: Store;
  compute: ComputePool;
}

/**
 * Records that a job entered a stage: its progress (`{ stage, percent }`, the percent being the
 * share of stages begun, so that bull-board draws a bar) and a `job.log` line per stage.
 * Progress is advisory: a failure to record it never fails the job.
 */
async function enterStage(job: Job, stage: string): Promise<void> {
  const index = JOB_STAGES.indexOf(stage as (typeof JOB_STAGES)[number]);
  const percent = index < 0 ? undefined : Math.round((100 * index) / JOB_STAGES.length);
  await Promise.all([job.updateProgress(percent === undefined ? { stage } : { stage, percent }), job.log(`stage ${stage}`)]).catch(() => undefined);
}

/** Span of each stage a compute thread reports (the `clustering.<operation>` names of the operations guide). */
const STAGE_SPANS: Record<string, string> = {
  features: 'clustering.features',
  clustering: 'clustering.cluster',
  scoring: 'clustering.score',
  teams: 'clustering.teams',
};

/** Fails the job for the caller's reason: the worker's retry table ends it at once. */
function refuse(code: JobErrorCode, message: string): never {
  throw new JobError(code, message);
}

/**
 * Turns PostgreSQL outages into a retryable error, and a refusal of the data itself (SQLSTATE class
 * 22, data exception: a character jsonb cannot hold, say) into a failure that retrying cannot fix.
 * A refusal is named by its SQLSTATE only: PostgreSQL's message and detail quote the data.
 */
async function database<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUnavailable(error)) throw new JobError(JobErrorCode.UNAVAILABLE, `PostgreSQL is unreachable (${(error as Error).message})`, { cause: error });
    const sqlstate = sqlstateOf(error);
    if (sqlstate?.startsWith('22')) refuse(JobErrorCode.INVALID_INPUT, `PostgreSQL cannot store this data (SQLSTATE ${sqlstate})`);
    if (sqlstate !== undefined) throw new JobError(JobErrorCode.INTERNAL, `PostgreSQL refused the statement (SQLSTATE ${sqlstate})`);
    throw error;
  }
}

/** The SQLSTATE of an error PostgreSQL answered (pg's DatabaseError carries it as `code`, beside a `severity`). */
function sqlstateOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('severity' in error)) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** A job being processed, and when it was queued and started. */
interface JobContext {
  deps: ProcessorDeps;
  job: Job;
  queued: number;
  started: number;
  onStage: (stage: string) => void;
}

/** The rest of a job once it is validated and its data loaded: computing, storing, summarising. */
type JobRun = () => Promise<JobSummary>;

/**
 * The handler of each kind of job in the catalogue: given the payload its kind's schema checked,
 * it loads what the job needs (the `clustering.validate` stage) and returns the rest of the run.
 */
const HANDLERS: JobHandlers<JobContext, Promise<JobRun>> = {
  clustering: prepareClustering,
  teamFormation: prepareTeams,
};

/**
 * The BullMQ processor of both queues: find the job's kind in the catalogue, validate the payload
 * with that kind's schema, load the data set, compute on a thread, store the result (once per job,
 * whatever the number of attempts), and return the small summary the exporter reads.
 */
export function createProcessor(deps: ProcessorDeps) {
  return async (job: Job): Promise<JobSummary> => {
    const started = Date.now();
    const queued = started - job.timestamp;
    await enterStage(job, 'validation');
    const onStage = (stage: string) => void enterStage(job, stage);
    const kind = jobKindOfQueue(job.queueName);
    if (kind === undefined) return refuse(JobErrorCode.INVALID_PAYLOAD, `no job kind for queue ${job.queueName}`);
    const run = await inSpan('clustering.validate', {}, () => prepare(kind, { deps, job, queued, started, onStage }));
    return run();
  };
}

/** Checks the payload against its kind's schema and hands it to its kind's handler. */
function prepare<K extends JobKindName>(kind: K, context: JobContext): Promise<JobRun> {
  const payload = parsePayload(JOBS[kind].schema, context.job.data) as JobPayload<K>;
  const handler: JobHandlers<JobContext, Promise<JobRun>>[K] = HANDLERS[kind];
  return handler(payload, context);
}

/** The payload as `schema` reads it; refuses the job, listing every problem, when it does not match. */
function parsePayload(schema: z.ZodType, data: unknown): unknown {
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    refuse(JobErrorCode.INVALID_PAYLOAD, parsed.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`).join('; '));
  }
  return parsed.data;
}

async function loadDataset(deps: ProcessorDeps, id: string, organization: string): Promise<DatasetContent> {
  const dataset = await database(() => deps.store.getDataset(id, organization));
  if (!dataset) refuse(JobErrorCode.NOT_FOUND, 'the data set does not exist (or belongs to another organisation)');
  return dataset;
}

/** A clustering job: the summary of the result an earlier attempt stored, or a run on its data set. */
async function prepareClustering(payload: ClusteringJob, context: JobContext): Promise<JobRun> {
  const work = await clusteringWork(context.deps, context.job, payload);
  if ('stored' in work)
    return async () => clusteringSummary(payload.organization, work.stored.result as unknown as ClusteringResult, context.queued, work.stored.durationMs, 0);
  return () => runClustering(context, payload, work.dataset);
}

async function runClustering({ deps, job, queued, started, onStage }: JobContext, payload: ClusteringJob, dataset: DatasetContent): Promise<JobSummary> {
  annotate({ 'clustering.method': payload.options.method, 'clustering.clusters': String(payload.options.clusters), 'data.employee_count': dataset.ids.length });
  const { parameters, ...options } = payload.options;
  const outcome = await computeTraced(deps, { kind: 'clustering', dataset, options: { ...parameters, ...options } }, onStage);
  if (!outcome.ok) refuse(JobErrorCode.INVALID_INPUT, outcome.message);
  const result = outcome.clustering!;
  annotateQuality(result);
  const { runMs, saveMs } = await save(deps, job, started, payload, 'clustering', payload.options, result, result.quality);
  return clusteringSummary(payload.organization, result, queued, runMs, saveMs);
}

/** A clustering job's payload and data set, or its result when an earlier attempt stored one. */
async function clusteringWork(
  deps: ProcessorDeps,
  job: Job,
  payload: ClusteringJob,
): Promise<{ payload: ClusteringJob; stored: JobResult } | { payload: ClusteringJob; dataset: DatasetContent }> {
  const stored = await database(() => deps.store.getResult(job.id!, payload.organization));
  if (stored) return { payload, stored };
  return { payload, dataset: await loadDataset(deps, payload.datasetId, payload.organization) };
}

/** Sets attributes on the job's span (the active one). */
const annotate = annotateActiveSpan;

function annotateQuality(result: ClusteringResult): void {
  const { silhouette, stability } = result.quality;
  annotate({
    'clustering.clusters': result.k,
    ...(silhouette !== null ? { 'clustering.silhouette_score': silhouette } : {}),
    ...(stability !== null ? { 'clustering.stability_score': stability } : {}),
  });
}

/** Runs a task on a compute thread, with a span for each stage the thread reports. */
async function computeTraced(deps: ProcessorDeps, task: ComputeTask, onStage: (stage: string) => void): Promise<ComputeOutcome> {
  const stages = new StageSpans();
  const report = ({ stage, at }: StageReport) => {
    if (stage === 'done') return stages.end(at);
    onStage(stage);
    const span = STAGE_SPANS[stage];
    if (span) stages.begin(span, at);
  };
  try {
    const outcome = await deps.compute.run(task, report);
    stages.end(Date.now(), outcome.ok);
    return outcome;
  } catch (error) {
    stages.end(Date.now(), false);
    throw error;
  }
}

/** Stores a job's result (a second attempt of the same job leaves the first row alone). */
async function save(
  deps: ProcessorDeps,
  job: Job,
  started: number,
  payload: { organization: string; datasetId: string },
  kind: 'clustering' | 'team-formation',
  parameters: Record<string, unknown>,
  result: object,
  quality: object,
): Promise<{ runMs: number; saveMs: number }> {
  const runMs = Date.now() - started;
  await enterStage(job, 'saving');
  const saving = Date.now();
  await inSpan('clustering.save', {}, () =>
    database(() =>
      deps.store.saveResult({
        jobId: job.id!,
        queue: job.queueName,
        organization: payload.organization,
        datasetId: payload.datasetId,
        kind,
        parameters,
        result: result as Record<string, unknown>,
        quality: { ...quality } as Record<string, number | null>,
        attempts: job.attemptsMade + 1,
        durationMs: runMs,
      }),
    ),
  );
  return { runMs, saveMs: Date.now() - saving };
}

function clusteringSummary(organization: string, result: ClusteringResult, queued: number, run: number, save: number): JobSummary {
  const { silhouette, calinski_harabasz, davies_bouldin, stability } = result.quality;
  return {
    kind: 'clustering',
    organization,
    method: result.method,
    k: result.k,
    n: result.n,
    durations_ms: { queued, run, save },
    quality: { silhouette, calinski_harabasz, davies_bouldin, stability },
    fallback: result.fallback.used,
  };
}

/** The clustering a team-formation job builds on: a finished job it names, or its flow child. */
async function clusteringFor(deps: ProcessorDeps, job: Job, payload: TeamFormationJob): Promise<ClusteringResult> {
  let clusteringJobId = payload.clusteringJobId;
  if (!clusteringJobId) {
    const children = Object.keys(await job.getChildrenValues());
    if (children.length !== 1) refuse(JobErrorCode.INVALID_PAYLOAD, 'give clusteringJobId, or submit the team formation as a flow with one clustering child');
    clusteringJobId = children[0]!.slice(children[0]!.lastIndexOf(':') + 1);
  }
  const stored = await database(() => deps.store.getResult(clusteringJobId, payload.organization));
  if (!stored) refuse(JobErrorCode.NOT_FOUND, 'the clustering job has no stored result (not finished, failed, or another organisation’s)');
  if (stored.datasetId !== payload.datasetId) refuse(JobErrorCode.INVALID_PAYLOAD, 'the clustering job ran on another data set');
  return stored.result as unknown as ClusteringResult;
}

/** A team-formation job's payload, clustering and data set, or its result when an earlier attempt stored one. */
async function teamsWork(
  deps: ProcessorDeps,
  job: Job,
  payload: TeamFormationJob,
): Promise<{ payload: TeamFormationJob; stored: JobResult } | { payload: TeamFormationJob; clustering: ClusteringResult; dataset: DatasetContent }> {
  const stored = await database(() => deps.store.getResult(job.id!, payload.organization));
  if (stored) return { payload, stored };
  return { payload, clustering: await clusteringFor(deps, job, payload), dataset: await loadDataset(deps, payload.datasetId, payload.organization) };
}

/** A team-formation job: the summary of the result an earlier attempt stored, or a run on its clustering and data set. */
async function prepareTeams(payload: TeamFormationJob, context: JobContext): Promise<JobRun> {
  const work = await teamsWork(context.deps, context.job, payload);
  if ('stored' in work)
    return async () =>
      teamsSummary(payload.organization, work.stored.result as unknown as ClusteringResult & TeamFormationResult, context.queued, work.stored.durationMs, 0);
  return () => runTeams(context, payload, work.clustering, work.dataset);
}

async function runTeams(
  { deps, job, queued, started, onStage }: JobContext,
  payload: TeamFormationJob,
  clustering: ClusteringResult,
  dataset: DatasetContent,
): Promise<JobSummary> {
  annotate({ 'clustering.method': clustering.method, 'data.employee_count': dataset.ids.length });
  const clusterOf = new Map(clustering.assignments.map((a) => [a.employee_id, a.cluster]));
  const clusters = dataset.ids.map((id) => clusterOf.get(id) ?? -1);
  if (clusters.includes(-1)) refuse(JobErrorCode.INVALID_PAYLOAD, 'the clustering does not cover every person of the data set');
  const outcome = await computeTraced(deps, { kind: 'teams', dataset, clusters, options: payload.teams }, onStage);
  if (!outcome.ok) refuse(JobErrorCode.INVALID_INPUT, outcome.message);
  const result = { ...clustering, ...outcome.teams! };
  const { runMs, saveMs } = await save(deps, job, started, payload, 'team-formation', payload.teams, result, result.score);
  return teamsSummary(payload.organization, result, queued, runMs, saveMs);
}

function teamsSummary(organization: string, result: ClusteringResult & TeamFormationResult, queued: number, run: number, save: number): JobSummary {
  return {
    kind: 'team-formation',
    organization,
    method: result.method,
    k: result.k,
    n: result.n,
    teams: result.teams.length,
    strategy: TEAM_STRATEGY,
    durations_ms: { queued, run, save },
    quality: { balance_mean: result.score.mean, balance_worst: result.score.worst, cluster_mix_mean: result.score.cluster_mix_mean },
    fallback: result.fallback.used,
  };
}
