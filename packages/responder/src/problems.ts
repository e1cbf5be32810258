import type { FastifyReply } from 'fastify';
import { faultOf, type Fault } from '@insights/errors';

/** The media type of every error answer (RFC 9457). */
const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Stable codes of the responder's problems, documented in docs/errors.md and docs/responder.md. */
export const ResponderErrorCode = {
  INVALID_REQUEST: 'INVALID_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  NOT_FOUND: 'NOT_FOUND',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  UNAVAILABLE: 'UNAVAILABLE',
} as const;
export type ResponderErrorCode = (typeof ResponderErrorCode)[keyof typeof ResponderErrorCode];

/**
 * The status of each fault that is not the caller's. Both are 503: Alertmanager retries a 5xx
 * delivery, and an alert that could not be recorded (PostgreSQL away, or a failure of ours) must
 * not be lost.
 */
export const RESPONDER_FAULT_STATUS: Readonly<Record<Exclude<Fault, 'caller'>, number>> = { ours: 503, transient: 503 };

type Row = { fault: 'caller'; status: 400 | 401 | 404 | 413 | 415; title: string } | { fault: 'transient'; title: string };

/** The responder's one error table: fault, title, and the 4xx of each caller's code. */
const ROWS: Readonly<Record<ResponderErrorCode, Row>> = {
  INVALID_REQUEST: { fault: 'caller', status: 400, title: 'Invalid request' },
  UNAUTHORIZED: { fault: 'caller', status: 401, title: 'Unauthorized' },
  NOT_FOUND: { fault: 'caller', status: 404, title: 'Not found' },
  PAYLOAD_TOO_LARGE: { fault: 'caller', status: 413, title: 'Payload too large' },
  UNSUPPORTED_MEDIA_TYPE: { fault: 'caller', status: 415, title: 'Unsupported media type' },
  UNAVAILABLE: { fault: 'transient', title: 'Service unavailable' },
};

/** Fault, HTTP status and title of each code, the status derived from the fault. */
export const RESPONDER_ERRORS: Readonly<Record<ResponderErrorCode, { fault: Fault; status: number; title: string }>> = Object.fromEntries(
  Object.entries(ROWS).map(([code, row]) => [
    code,
    { fault: row.fault, status: row.fault === 'caller' ? row.status : RESPONDER_FAULT_STATUS[row.fault], title: row.title },
  ]),
) as Record<ResponderErrorCode, { fault: Fault; status: number; title: string }>;

/** The code of each 4xx Fastify refuses with on its own (body parsing, limits, media type). */
const CALLER_CODES: Readonly<Record<number, ResponderErrorCode>> = {
  400: 'INVALID_REQUEST',
  401: 'UNAUTHORIZED',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

/**
 * The code for anything thrown while handling a request: Fastify's own 4xx by its status (any
 * other 4xx is a bad request), a coded error of the caller's as a bad request, anything else
 * (transient or ours) as UNAVAILABLE, so that Alertmanager retries.
 */
export function codeOf(error: unknown): ResponderErrorCode {
  const { statusCode } = (error ?? {}) as { statusCode?: number };
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) return CALLER_CODES[statusCode] ?? 'INVALID_REQUEST';
  return faultOf(error) === 'caller' ? 'INVALID_REQUEST' : 'UNAVAILABLE';
}

/** Sends a problem+json answer for a code. */
export function sendProblem(reply: FastifyReply, code: ResponderErrorCode, detail: string, errors?: string[]): FastifyReply {
  const { status, title } = RESPONDER_ERRORS[code];
  const body = {
    type: `urn:insights:problem:${code.toLowerCase().replaceAll('_', '-')}`,
    title,
    status,
    detail,
    code,
    request_id: String(reply.request.id),
    ...(errors ? { errors } : {}),
  };
  return reply.code(status).type(PROBLEM_CONTENT_TYPE).send(body);
}
