import type { FastifyInstance, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { parseProfilesJson, type ProfileSet } from '@insights/core';
import { QUEUES } from '@insights/jobs';
import { indexJob, unindexJob } from '@insights/store';
import { ApiError } from '../errors.js';
import type { RouteDeps } from '../deps.js';
import { claimIdempotencyKey, idempotencyKeyOf, idempotentJobIds, requestFingerprint, restoreIdempotencyKey } from '../idempotency.js';
import type { Accepted } from '../schemas.js';
import { mediaType, readSubmission, type JobKind, type ParsedSubmission } from '../submission.js';
import { registerCsvContentType } from '../upload/csv-content-type.js';
import '../context.js';

/** Links of a job. */
export function linksOf(id: string): Accepted['links'] {
  return { self: `/api/v1/jobs/${id}`, result: `/api/v1/jobs/${id}/result` };
}

function parseData(parsed: ParsedSubmission): ProfileSet {
  const options = { skipInvalid: parsed.skipInvalid };
  return 'upload' in parsed.data ? parsed.data.upload.profiles : parseProfilesJson(parsed.data.employees, options);
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
  // Stored before the key is claimed: data the store refuses (fewer people than clusters) must
  // not use up the key. Storing is idempotent (content-addressed).
  const { datasetId } = await deps.client.storeData(organization, { profiles }, parsed.clustering.clusters);
  let fingerprint: string | null = null;
  if (key !== undefined) {
    fingerprint =
      'upload' in parsed.data
        ? parsed.data.upload.fingerprint
        : requestFingerprint(kind, request.query as Record<string, unknown>, mediaType(request.headers['content-type']), JSON.stringify(request.body));
    await claimIdempotencyKey(deps.redis, deps.config.QUEUE_PREFIX, organization, key, fingerprint);
  }
  const ids = key !== undefined ? idempotentJobIds(organization, key) : { jobId: randomUUID(), childJobId: randomUUID() };
  request.auditNote = { action: 'submit', jobId: ids.jobId };
  const queue = kind === 'clustering' ? QUEUES.clustering : QUEUES.teamFormation;
  const flow = kind === 'team-formation' && parsed.clusteringJobId === undefined;
  const schema = { schema: deps.config.DATABASE_SCHEMA };
  const indexed = await indexJob(
    deps.db,
    { jobId: ids.jobId, organization, kind, queue, datasetId, childJobId: flow ? ids.childJobId : null, people: profiles.ids.length, tokenId, requestFingerprint: fingerprint },
    schema,
  );
  // Redis forgets keys after a day (or on a restart); the index row remembers the request for as long as it lives.
  if (!indexed.inserted && indexed.requestFingerprint !== fingerprint) {
    if (key !== undefined && indexed.requestFingerprint !== null) await restoreIdempotencyKey(deps.redis, deps.config.QUEUE_PREFIX, organization, key, indexed.requestFingerprint);
    throw new ApiError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used before with a different request; use a new key for a new request');
  }
  // A repetition enqueues again only while the first has not: BullMQ ignores a job id it holds.
  // The trace context is this request's (the client takes the active span's).
  if (indexed.inserted || (await deps.client.jobState(ids.jobId, queue)) === null) {
    try {
      if (kind === 'clustering') await deps.client.enqueueClustering(organization, datasetId, parsed.clustering, { jobId: ids.jobId });
      else await deps.client.enqueueTeamFormation(organization, datasetId, parsed.teams!, { options: parsed.clustering, clusteringJobId: parsed.clusteringJobId }, ids);
    } catch (error) {
      // Only the request that indexed the job takes the row back, and only if no twin enqueued it meanwhile.
      if (indexed.inserted && (await deps.client.jobState(ids.jobId, queue).catch(() => null)) === null) {
        await unindexJob(deps.db, ids.jobId, organization, schema).catch(() => undefined);
      }
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
  registerCsvContentType(app, deps.config);
  for (const kind of ['clustering', 'team-formation'] as const) {
    app.post(`/api/v1/jobs/${kind}`, async (request, reply) => {
      request.auditNote = { action: 'submit', jobId: null };
      const accepted = await submit(deps, kind, request);
      reply.code(202).header('location', accepted.links.self);
      return accepted;
    });
  }
}
