import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiConfig } from '../config.js';
import { ApiError } from '../errors.js';
import { fingerprintHash } from '../idempotency.js';
import { csvQueryOf, mediaType, type JobKind } from '../submission.js';
import { readCsvUpload } from './csv-upload.js';
import '../context.js';

const SUBMIT_ROUTES: Readonly<Record<string, JobKind>> = {
  '/api/v1/jobs/clustering': 'clustering',
  '/api/v1/jobs/team-formation': 'team-formation',
};

/**
 * Parses `text/csv` bodies of the submit routes as they arrive (see {@link readCsvUpload}): the
 * query string is checked first, so a bad one is refused before the body is read, and the body
 * becomes a `CsvUpload`, never a string.
 */
export function registerCsvContentType(app: FastifyInstance, config: Pick<ApiConfig, 'INSIGHTS_MAX_EMPLOYEES' | 'INSIGHTS_MAX_BODY_MB'>): void {
  app.addContentTypeParser('text/csv', async (request: FastifyRequest, payload: IncomingMessage) => {
    const kind = SUBMIT_ROUTES[request.routeOptions.url ?? ''];
    if (kind === undefined) {
      payload.resume();
      throw new ApiError('UNSUPPORTED_MEDIA_TYPE', 'only job submissions take a CSV body');
    }
    // A refusal while reading is a refused submission: audited like one refused in the handler.
    request.auditNote = { action: 'submit', jobId: null };
    let fields: Record<string, unknown>;
    try {
      fields = csvQueryOf(kind, request.query);
    } catch (error) {
      payload.resume();
      throw error;
    }
    const query = (request.query ?? {}) as Record<string, unknown>;
    return readCsvUpload(payload, {
      skipInvalid: fields.skip_invalid === true,
      maxRows: config.INSIGHTS_MAX_EMPLOYEES,
      maxBodyMb: config.INSIGHTS_MAX_BODY_MB,
      fingerprint: fingerprintHash(kind, query, mediaType(request.headers['content-type'])),
    });
  });
}
