import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { newSalt, REPORT_CONTENT_SECURITY_POLICY, type StoredReportOptions } from '@insights/report';
import type { RouteDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { ReportRenderer } from '../report-render/render-pool.js';
import { Flag } from '../schemas.js';
import { issuesOf } from '../submission.js';
import { indexed, storedResultOf } from './jobs.js';
import '../context.js';

/** Query of `GET /api/v1/jobs/:id/report`. */
export const ReportQuery = z
  .object({
    anonymise: Flag.optional().describe('show pseudonyms ("Person 7F3A") instead of employee_ids (default false)'),
    salt: z
      .string()
      .min(1)
      .max(256)
      .optional()
      .describe(
        'the secret behind the pseudonyms (implies anonymise): the same salt always gives the same pseudonyms; without it each report draws a random one',
      ),
    view: z
      .enum(['clustering', 'teams'])
      .optional()
      .describe('clustering: the clusters alone, also of a team formation; teams: the teams first (team formations only). Default: by the kind of job'),
  })
  .strict();
export type ReportQuery = z.output<typeof ReportQuery>;

/**
 * Headers of a report: its own content security policy (no fetch, no script, not framed), no
 * caching of personal data, and no sniffing of the media type.
 */
const REPORT_HEADERS = {
  'content-security-policy': `${REPORT_CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`,
  'cache-control': 'private, no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

function optionsOf(query: ReportQuery): StoredReportOptions {
  const options: StoredReportOptions = {};
  if (query.view !== undefined) options.view = query.view;
  if (query.anonymise === true || query.salt !== undefined) options.anonymise = { salt: query.salt ?? newSalt() };
  return options;
}

type ReportRequest = FastifyRequest<{ Params: { id: string } }>;

/**
 * `GET /api/v1/jobs/:id/report`: the stored result as a self-contained HTML report, each person
 * placed on the wheel from the job's stored data set. Same authentication, isolation (another
 * organisation's job is 404), audit (`read`) and errors as `/result`. Rendered on a thread, one
 * at a time, a few more waiting and the rest refused 503 with Retry-After (see {@link ReportRenderer}).
 */
export function registerReportRoutes(app: FastifyInstance, deps: RouteDeps): void {
  const renderer = new ReportRenderer();
  app.get('/api/v1/jobs/:id/report', async (request: ReportRequest, reply) => {
    request.auditNote = { action: 'read', jobId: request.params.id };
    const parsed = ReportQuery.safeParse(request.query ?? {});
    if (!parsed.success) throw new ApiError('INVALID_REQUEST', 'the query string is invalid', issuesOf(parsed.error, 'query'));
    const job = await indexed(deps, request);
    if (parsed.data.view === 'teams' && job.kind !== 'team-formation')
      throw new ApiError('INVALID_REQUEST', 'view=teams: the job is a clustering and has no teams');
    // Refused at once (409) when there is no result, without taking a place in the renderer's line or reading the result twice.
    if (!job.hasResult) await storedResultOf(deps, job);
    const load = async () => {
      const stored = await storedResultOf(deps, job);
      return { stored, dataset: stored.datasetId === null ? null : await deps.store.getDataset(stored.datasetId, job.organization) };
    };
    let html: Buffer;
    try {
      html = await renderer.render(load, optionsOf(parsed.data));
    } catch (error) {
      if (error instanceof ApiError && error.code === 'UNAVAILABLE') reply.header('retry-after', '5');
      throw error;
    }
    return reply.headers(REPORT_HEADERS).type('text/html; charset=utf-8').send(html);
  });
}
