import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parseProfilesJson, type ProfileSet } from '@insights/core';
import type { SubmitRequest, SubmittedJob } from '@insights/producer';
import type { RouteDeps } from '../deps.js';
import { checkTeamsAtTheDoor } from '../door-checks.js';
import { idempotencyKeyOf, requestFingerprint } from '../idempotency.js';
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

function jobOf(parsed: ParsedSubmission): SubmittedJob {
  if (parsed.kind === 'clustering') return { kind: 'clustering', options: parsed.clustering };
  return { kind: 'team-formation', teams: parsed.teams!, options: parsed.clustering, clusteringJobId: parsed.clusteringJobId };
}

/**
 * The idempotency of a request with an Idempotency-Key: the key, and what makes a repetition the
 * same request (a CSV upload's fingerprint is hashed as its bytes stream in).
 */
function idempotencyOf(kind: JobKind, request: FastifyRequest, key: string | undefined, parsed: ParsedSubmission): SubmitRequest['idempotency'] {
  if (key === undefined) return undefined;
  const fingerprint =
    'upload' in parsed.data
      ? parsed.data.upload.fingerprint
      : requestFingerprint(kind, request.query as Record<string, unknown>, mediaType(request.headers['content-type']), JSON.stringify(request.body));
  return { key, fingerprint };
}

/**
 * Reads one submission from the request and hands it to the client, which stores, indexes and
 * enqueues it. With an Idempotency-Key the job ids derive from it: however many identical requests
 * race, the index keeps one row and BullMQ one job.
 */
async function submit(deps: RouteDeps, kind: JobKind, request: FastifyRequest): Promise<Accepted> {
  const { organization, tokenId } = request.principal!;
  const key = idempotencyKeyOf(request.headers['idempotency-key']);
  const parsed = readSubmission(kind, request.headers['content-type'], request.query, request.body, deps.config.INSIGHTS_MAX_EMPLOYEES);
  const idempotency = idempotencyOf(kind, request, key, parsed);
  const profiles = parseData(parsed);
  if (parsed.kind === 'team-formation') await checkTeamsAtTheDoor(deps.store, organization, profiles, parsed.teams!, parsed.clusteringJobId);
  const submitted = await deps.client.submit({
    ...jobOf(parsed),
    organization,
    data: { profiles },
    idempotency,
    submittedBy: tokenId,
    onJobId: (jobId) => (request.auditNote = { action: 'submit', jobId }),
  });
  const accepted: Accepted = {
    id: submitted.id,
    kind,
    state: submitted.state,
    people: submitted.people,
    skipped: submitted.skipped.length,
    links: linksOf(submitted.id),
  };
  if (submitted.clusteringJobId !== undefined) accepted.clustering_job_id = submitted.clusteringJobId;
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
