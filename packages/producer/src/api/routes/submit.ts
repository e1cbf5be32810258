import type { FastifyInstance, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { parseProfiles, parseProfilesJson, type ProfileSet } from '@insights/core';
import { QUEUES, type TraceContext } from '@insights/jobs';
import { indexJob, unindexJob } from '@insights/store';
import type { RouteDeps } from '../deps.js';
import { claimIdempotencyKey, idempotencyKeyOf, idempotentJobIds, requestFingerprint } from '../idempotency.js';
import type { Accepted } from '../schemas.js';
import { mediaType, readSubmission, type JobKind, type ParsedSubmission } from '../submission.js';
import '../context.js';

/** Links of a job. */
export function linksOf(id: string): Accepted['links'] {
  return { self: `/api/v1/jobs/${id}`, result: `/api/v1/jobs/${id}/result` };
}

function traceOf(request: FastifyRequest): TraceContext | undefined {
  const { traceparent, tracestate } = request.headers;
  if (typeof traceparent !== 'string') return undefined;
  return typeof tracestate === 'string' ? { traceparent, tracestate } : { traceparent };
}

function parseData(parsed: ParsedSubmission): ProfileSet {
  const options = { skipInvalid: parsed.skipInvalid };
  return 'text' in parsed.data ? parseProfiles(parsed.data.text, { ...options, format: 'csv' }) : parseProfilesJson(parsed.data.employees, options);
}

/**
 * Validates, stores, indexes and enqueues one submission. With an Idempotency-Key the job ids
 * derive from it: however many identical requests race, the index keeps one row and BullMQ one job.
 */
async function submit(deps: RouteDeps, kind: JobKind, request: FastifyRequest): Promise<Accepted> {
  const { organization, tokenId } = request.principal!;
  const key = idempotencyKeyOf(request.headers['idempotency-key']);
  const parsed = readSubmission(kind, request.headers['content-type'], request.query, request.body, deps.config.INSIGHTS_MAX_EMPLOYEES);
  const profiles = parseData(parsed);
  if (key !== undefined) {
    const body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
    const fingerprint = requestFingerprint(kind, request.query as Record<string, unknown>, mediaType(request.headers['content-type']), body);
    await claimIdempotencyKey(deps.redis, deps.config.QUEUE_PREFIX, organization, key, fingerprint);
  }
  const ids = key !== undefined ? idempotentJobIds(organization, key) : { jobId: randomUUID(), childJobId: randomUUID() };
  request.auditNote = { action: 'submit', jobId: ids.jobId };
  const { datasetId } = await deps.client.storeData(organization, { profiles }, parsed.clustering.clusters);
  const queue = kind === 'clustering' ? QUEUES.clustering : QUEUES.teamFormation;
  const flow = kind === 'team-formation' && parsed.clusteringJobId === undefined;
  const schema = { schema: deps.config.DATABASE_SCHEMA };
  const { inserted } = await indexJob(
    deps.db,
    { jobId: ids.jobId, organization, kind, queue, datasetId, childJobId: flow ? ids.childJobId : null, people: profiles.ids.length, tokenId },
    schema,
  );
  // A repetition enqueues again only while the first has not: BullMQ ignores a job id it holds.
  if (inserted || (await deps.client.jobState(ids.jobId, queue)) === null) {
    const trace = traceOf(request);
    try {
      if (kind === 'clustering') await deps.client.enqueueClustering(organization, datasetId, parsed.clustering, { jobId: ids.jobId, trace });
      else await deps.client.enqueueTeamFormation(organization, datasetId, parsed.teams!, { options: parsed.clustering, clusteringJobId: parsed.clusteringJobId }, { ...ids, trace });
    } catch (error) {
      if (inserted) await unindexJob(deps.db, ids.jobId, organization, schema).catch(() => undefined);
      throw error;
    }
  }
  const accepted: Accepted = {
    id: ids.jobId,
    kind,
    state: (await deps.client.jobState(ids.jobId, queue)) ?? 'waiting',
    people: profiles.ids.length,
    skipped: profiles.skipped.length,
    links: linksOf(ids.jobId),
  };
  if (flow) accepted.clustering_job_id = ids.childJobId;
  return accepted;
}

/** `POST /api/v1/jobs/clustering` and `POST /api/v1/jobs/team-formation`: 202 with the job. */
export function registerSubmitRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  for (const kind of ['clustering', 'team-formation'] as const) {
    app.post(`/api/v1/jobs/${kind}`, async (request, reply) => {
      request.auditNote = { action: 'submit', jobId: null };
      const accepted = await submit(deps, kind, request);
      reply.code(202).header('location', accepted.links.self);
      return accepted;
    });
  }
}
