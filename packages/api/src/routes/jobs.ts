import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { codeOfReason, faultOfReason, JobProgress, type QueueName } from '@insights/jobs';
import type { IndexedJob, JobResult } from '@insights/store';
import { JobNotFoundError } from '@insights/producer';
import type { RouteDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { ListQuery, type Deleted, type JobList, type JobView } from '../schemas.js';
import { issuesOf } from '../submission.js';
import { linksOf } from './submit.js';
import '../context.js';

/** Rows the listing reads at most per request when filtering by state. */
const MAX_SCANNED = 500;

/** States in which a job can be cancelled: it has not started. */
const CANCELLABLE = new Set(['waiting', 'delayed', 'prioritized', 'waiting-children']);

type IdRequest = FastifyRequest<{ Params: { id: string } }>;

/** The organisation's indexed job, or 404: another organisation's job looks exactly like none. */
export async function indexed(deps: RouteDeps, request: IdRequest): Promise<IndexedJob> {
  const job = await deps.store.findIndexedJob(request.params.id, request.principal!.organization);
  if (!job) throw new ApiError('NOT_FOUND', 'no such job');
  return job;
}

/**
 * A finished job's stored result; 409 FAILED_JOB with the failure code for a failed job (it will
 * never have one), else 409 RESULT_NOT_READY with the job's state.
 */
export async function storedResultOf(deps: RouteDeps, job: IndexedJob): Promise<JobResult> {
  const stored = await deps.store.getResult(job.jobId, job.organization);
  if (stored) return stored;
  const state = await stateOf(deps, job);
  if (state === 'failed') {
    const status = await deps.client.getJob(job.jobId, job.queue as QueueName);
    const { code } = publicFailure(status.failedReason ?? 'INTERNAL');
    throw new ApiError('FAILED_JOB', `the job failed (${code}) and will never have a result: submit it again once the cause is fixed`, [code ?? 'INTERNAL']);
  }
  throw new ApiError('RESULT_NOT_READY', `the job has no result: it is ${state}`);
}

/** A job's state: BullMQ's, or `completed`/`expired` once the queue has let it go. */
async function stateOf(deps: RouteDeps, job: IndexedJob): Promise<string> {
  return (await deps.client.jobState(job.jobId, job.queue as QueueName)) ?? (job.hasResult ? 'completed' : 'expired');
}

/**
 * What a client may read of a failure: our own words for its failures (fault `caller`: about its
 * request or data), only a code for ours and transient ones (no hosts, no internals).
 */
export function publicFailure(reason: string | null | undefined): { reason: string | null; code: string | null } {
  if (!reason) return { reason: null, code: null };
  const code = codeOfReason(reason) ?? 'INTERNAL';
  if (faultOfReason(reason) === 'caller') return { reason, code };
  const said =
    code === 'UNAVAILABLE'
      ? 'a service the job needs was unavailable; it was retried and may be retried again'
      : 'the job failed on our side; quote the job id when reporting it';
  return { reason: `${code}: ${said}`, code };
}

async function view(deps: RouteDeps, job: IndexedJob): Promise<JobView> {
  let status = null;
  try {
    status = await deps.client.getJob(job.jobId, job.queue as QueueName);
  } catch (error) {
    if (!(error instanceof JobNotFoundError)) throw error;
  }
  const failure = publicFailure(status?.failedReason);
  return {
    id: job.jobId,
    kind: job.kind,
    state: status?.state ?? (job.hasResult ? 'completed' : 'expired'),
    // BullMQ reports 0 until the worker names a stage.
    progress: JobProgress.safeParse(status?.progress).data ?? null,
    attempts: status?.attempts ?? 0,
    failed_reason: failure.reason,
    failure_code: failure.code,
    summary: status?.summary ?? null,
    people: job.people,
    clustering_job_id: job.childJobId,
    created_at: job.createdAt.toISOString(),
    links: linksOf(job.jobId),
  };
}

/** The largest PostgreSQL bigint: no index position is beyond it. */
const MAX_BIGINT = 9_223_372_036_854_775_807n;

/** A page of the index, filtered by state when asked; states are read from Redis by id, never by scanning. */
async function list(deps: RouteDeps, organization: string, query: ListQuery): Promise<JobList> {
  const items: JobList['items'] = [];
  let before = query.cursor === undefined ? null : Buffer.from(query.cursor, 'base64url').toString('utf8');
  // A position is a PostgreSQL bigint: 19 digits may still be out of its range.
  if (before !== null && (!/^\d{1,19}$/.test(before) || BigInt(before) > MAX_BIGINT)) {
    throw new ApiError('INVALID_REQUEST', 'cursor: expected the next_cursor of a previous page');
  }
  const pageSize = query.state === undefined ? query.limit : Math.max(query.limit, 50);
  let scanned = 0;
  let exhausted = false;
  while (items.length < query.limit && scanned < MAX_SCANNED) {
    const rows = await deps.store.listIndexedJobs(organization, { limit: pageSize, beforeSeq: before });
    const states = await Promise.all(rows.map((row) => stateOf(deps, row)));
    let used = 0;
    for (const [i, row] of rows.entries()) {
      used++;
      before = row.seq;
      if (query.state === undefined || states[i] === query.state) {
        items.push({
          id: row.jobId,
          kind: row.kind,
          state: states[i]!,
          people: row.people,
          created_at: row.createdAt.toISOString(),
          links: linksOf(row.jobId),
        });
        if (items.length === query.limit) break;
      }
    }
    scanned += used;
    if (rows.length < pageSize && used === rows.length) {
      exhausted = true;
      break;
    }
  }
  return { items, next_cursor: exhausted || before === null ? null : Buffer.from(before, 'utf8').toString('base64url') };
}

/**
 * Cancels a job that has not started, or forgets a finished one: the queue's job first, then in
 * one statement its results, index row and (unless shared) data set. Retrying after a failure
 * finishes what the first attempt began.
 */
async function remove(deps: RouteDeps, job: IndexedJob): Promise<Deleted> {
  const stateBefore = await deps.client.remove(job.jobId, job.queue as QueueName);
  const forgotten = await deps.store.forgetJob(job.jobId, job.organization);
  const outcome = stateBefore !== null && CANCELLABLE.has(stateBefore) ? 'cancelled' : 'deleted';
  return { id: job.jobId, outcome, dataset_deleted: forgotten.datasetDeleted };
}

/** Whether an If-None-Match header names this entity tag (weak comparison, as RFC 9110 asks for GET), or is `*`. */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((tag) => {
    const given = tag.trim();
    return given === '*' || given.replace(/^W\//, '') === etag;
  });
}

/** `GET /api/v1/jobs`, `GET|DELETE /api/v1/jobs/:id` and `GET /api/v1/jobs/:id/result`. */
export function registerJobRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.get('/api/v1/jobs', async (request) => {
    request.auditNote = { action: 'list', jobId: null };
    const parsed = ListQuery.safeParse(request.query ?? {});
    if (!parsed.success) throw new ApiError('INVALID_REQUEST', 'the query string is invalid', issuesOf(parsed.error, 'query'));
    return list(deps, request.principal!.organization, parsed.data);
  });

  app.get('/api/v1/jobs/:id', async (request: IdRequest) => {
    request.auditNote = { action: 'read', jobId: request.params.id };
    return view(deps, await indexed(deps, request));
  });

  app.get('/api/v1/jobs/:id/result', async (request: IdRequest, reply) => {
    request.auditNote = { action: 'read', jobId: request.params.id };
    const body = JSON.stringify((await storedResultOf(deps, await indexed(deps, request))).result);
    // A stored result never changes: its hash is a strong validator a client can send back.
    const etag = `"${createHash('sha256').update(body).digest('base64url')}"`;
    reply.header('etag', etag);
    if (matchesEtag(request.headers['if-none-match'], etag)) return reply.code(304).send();
    return reply.type('application/json').send(body);
  });

  app.delete('/api/v1/jobs/:id', async (request: IdRequest) => {
    request.auditNote = { action: 'delete', jobId: request.params.id };
    const deleted = await remove(deps, await indexed(deps, request));
    if (deleted.outcome === 'cancelled') request.auditNote.action = 'cancel';
    return deleted;
  });
}
