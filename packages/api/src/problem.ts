import { z } from 'zod';
import { CodedError } from '@insights/errors';
import { formatProblem, InvalidInputError, InvalidOptionsError } from '@insights/core';
import { problemDocument } from '@insights/runtime';
import { isUnavailable } from '@insights/store';
import { IdempotencyKeyReusedError, JobNotFoundError, NotCancellableError } from '@insights/producer';
import { API_ERRORS, ApiError, ApiErrorCode } from './errors.js';

/** An error answer: RFC 9457 members plus a stable `code` and, for validation, every problem. */
export const Problem = z.object({
  type: z.string().describe('a URI naming the kind of problem: `urn:insights:problem:<code>`'),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.enum(Object.values(ApiErrorCode) as [ApiErrorCode, ...ApiErrorCode[]]),
  errors: z.array(z.string()).optional().describe('every problem found, as `line N, column NAME: reason` or `field: reason`'),
  request_id: z.string().describe('quote it when reporting a problem: the log has the same id'),
});
export type Problem = z.infer<typeof Problem>;

/** What the error handler needs to know to explain a limit. */
export interface ProblemContext {
  requestId: string;
  maxBodyMb: number;
}

/** A problem answer and whether the error is ours (logged at error level with its stack) or the caller's. */
export interface Mapped {
  problem: Problem;
  internal: boolean;
}

/** Messages of ioredis when Redis cannot be reached or the connection was lost. */
const REDIS_DOWN =
  /MaxRetriesPerRequest|max retries per request|Connection is closed|Stream isn't writeable|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|READONLY|LOADING/i;

/**
 * Maps anything thrown while answering a request to a problem. Only details written for clients
 * pass through: a stack or an internal message never does (it is logged with the request id).
 */
export function toProblem(error: unknown, context: ProblemContext): Mapped {
  const known = apiErrorOf(error, context);
  if (known) return { problem: build(known.code, known.detail, context.requestId, known.errors), internal: false };
  // Any other coded error answers as its fault says: the caller's with its own words, a transient one 503, ours 500.
  if (error instanceof CodedError && error.fault === 'caller') return { problem: build('INVALID_REQUEST', error.message, context.requestId), internal: false };
  const transient = error instanceof CodedError && error.fault === 'transient';
  if (transient || isUnavailable(error) || (error instanceof Error && REDIS_DOWN.test(`${error.name} ${error.message}`))) {
    return { problem: build('UNAVAILABLE', 'Redis or PostgreSQL cannot be reached; try again later', context.requestId), internal: true };
  }
  return { problem: build('INTERNAL', 'an internal error occurred; quote the request id when reporting it', context.requestId), internal: true };
}

function apiErrorOf(error: unknown, context: ProblemContext): ApiError | undefined {
  if (error instanceof ApiError) return error;
  if (error instanceof InvalidInputError) {
    const errors = error.problems.map(formatProblem);
    const rest = error.totalProblems - error.problems.length;
    if (rest > 0) errors.push(`… and ${rest} more problem${rest === 1 ? '' : 's'}`);
    return new ApiError('INVALID_INPUT', `the data cannot be used: ${error.totalProblems} problem${error.totalProblems === 1 ? '' : 's'}`, errors);
  }
  if (error instanceof InvalidOptionsError)
    return new ApiError('INVALID_OPTIONS', `invalid options: ${error.problems.length} problem${error.problems.length === 1 ? '' : 's'}`, error.problems);
  if (error instanceof NotCancellableError) {
    return new ApiError('NOT_CANCELLABLE', `the job is ${error.state}: a running job can be neither cancelled nor deleted; try again once it has finished`);
  }
  if (error instanceof JobNotFoundError) return new ApiError('NOT_FOUND', 'no such job');
  if (error instanceof IdempotencyKeyReusedError) return new ApiError('IDEMPOTENCY_KEY_REUSED', error.message);
  return fastifyError(error, context);
}

/**
 * Fastify's own errors (body parsing, content type, the router): their codes start with FST_. A
 * path parameter longer than any job id is no job (404, as docs/api.md says); a URL that is not
 * valid percent-encoding is a bad request. Neither echoes the URL.
 */
function fastifyError(error: unknown, context: ProblemContext): ApiError | undefined {
  const { statusCode, code, message } = (error ?? {}) as { statusCode?: number; code?: string; message?: string };
  if (code === 'FST_ERR_MAX_PARAM_LENGTH') return new ApiError('NOT_FOUND', 'no such job');
  if (code === 'FST_ERR_BAD_URL') return new ApiError('INVALID_REQUEST', 'the URL is not valid percent-encoding');
  if (statusCode === 413) return new ApiError('PAYLOAD_TOO_LARGE', `the body is larger than the ${context.maxBodyMb} MB allowed (INSIGHTS_MAX_BODY_MB)`);
  if (statusCode === 415) return new ApiError('UNSUPPORTED_MEDIA_TYPE', 'send the data as text/csv or application/json');
  if (code === 'FST_ERR_CTP_INVALID_JSON_BODY') return new ApiError('INVALID_REQUEST', 'the body is not valid JSON');
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500 && code?.startsWith('FST_'))
    return new ApiError('INVALID_REQUEST', message ?? 'invalid request');
  return undefined;
}

/** A problem document for a code. */
export function build(code: ApiErrorCode, detail: string, requestId: string, errors?: readonly string[]): Problem {
  const { status, title } = API_ERRORS[code];
  return problemDocument(code, status, title, detail, requestId, errors);
}
