import { CodedError, type Fault } from '@insights/errors';

/**
 * Stable codes of the API's problems (`application/problem+json`), each with its HTTP status and
 * title. Clients compare `code`, never `detail`. Documented in docs/errors.md and docs/api.md.
 */
export const ApiErrorCode = {
  /** The request is malformed: an unknown or ill-typed parameter, bad JSON, a bad cursor. */
  INVALID_REQUEST: 'INVALID_REQUEST',
  /** The data cannot be used; `errors` lists every problem as `line N, column NAME: reason`. */
  INVALID_INPUT: 'INVALID_INPUT',
  /** An option is out of range or inconsistent; `errors` lists every problem. */
  INVALID_OPTIONS: 'INVALID_OPTIONS',
  /** No bearer token, or one that is unknown or revoked. */
  UNAUTHORIZED: 'UNAUTHORIZED',
  /** No such job for this organisation (or no such route). */
  NOT_FOUND: 'NOT_FOUND',
  /** The job is running: it can be neither cancelled nor deleted until it has finished. */
  NOT_CANCELLABLE: 'NOT_CANCELLABLE',
  /** The job has no result yet: it is waiting or running (a failed one answers FAILED_JOB). */
  RESULT_NOT_READY: 'RESULT_NOT_READY',
  /** The job failed: it will never have a result; `errors` holds its failure code. */
  FAILED_JOB: 'FAILED_JOB',
  /** The path exists, the method does not: `Allow` lists those it has. */
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  /** The Idempotency-Key was used before with a different request. */
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  /** The body is larger than INSIGHTS_MAX_BODY_MB. */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** More people than INSIGHTS_MAX_EMPLOYEES in one job. */
  TOO_MANY_EMPLOYEES: 'TOO_MANY_EMPLOYEES',
  /** The body is neither `text/csv` nor `application/json`. */
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  /** The request's headers are larger than the server accepts (Node's limit, 16 KiB by default). */
  HEADERS_TOO_LARGE: 'HEADERS_TOO_LARGE',
  /** The request was not received in time. */
  REQUEST_TIMEOUT: 'REQUEST_TIMEOUT',
  /** The organisation sent more than INSIGHTS_RATE_LIMIT_PER_MINUTE requests this minute. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** Redis or PostgreSQL cannot be reached: try again later. */
  UNAVAILABLE: 'UNAVAILABLE',
  /** A bug: the detail says only that; the log has the request id and the error. */
  INTERNAL: 'INTERNAL',
} as const;
export type ApiErrorCode = (typeof ApiErrorCode)[keyof typeof ApiErrorCode];

/** Seconds a 503 (an outage, or an unhealthy health check) asks the client to wait before retrying. */
export const RETRY_AFTER_UNAVAILABLE_S = 5;

/**
 * The HTTP status of each fault: ours is 500, a transient one 503. The caller's fault is a 4xx
 * that says which mistake it was, so each caller code names its own (the only statuses written
 * by hand).
 */
export const FAULT_STATUS: Readonly<Record<Exclude<Fault, 'caller'>, number>> = { ours: 500, transient: 503 };

/** One row of the API's table: a caller's code names its 4xx, the others take their fault's status. */
type ApiErrorRow =
  | { fault: 'caller'; status: 400 | 401 | 404 | 405 | 408 | 409 | 413 | 415 | 422 | 429 | 431; title: string }
  | { fault: Exclude<Fault, 'caller'>; title: string };

/** Fault, title and (for the caller's codes) HTTP status of each code: the API's one error table. */
const API_ERROR_ROWS: Readonly<Record<ApiErrorCode, ApiErrorRow>> = {
  INVALID_REQUEST: { fault: 'caller', status: 400, title: 'Invalid request' },
  INVALID_INPUT: { fault: 'caller', status: 422, title: 'Invalid input data' },
  INVALID_OPTIONS: { fault: 'caller', status: 422, title: 'Invalid options' },
  UNAUTHORIZED: { fault: 'caller', status: 401, title: 'Unauthorized' },
  NOT_FOUND: { fault: 'caller', status: 404, title: 'Not found' },
  NOT_CANCELLABLE: { fault: 'caller', status: 409, title: 'Job is running' },
  RESULT_NOT_READY: { fault: 'caller', status: 409, title: 'Result not ready' },
  FAILED_JOB: { fault: 'caller', status: 409, title: 'Job failed' },
  METHOD_NOT_ALLOWED: { fault: 'caller', status: 405, title: 'Method not allowed' },
  IDEMPOTENCY_KEY_REUSED: { fault: 'caller', status: 422, title: 'Idempotency key reused' },
  PAYLOAD_TOO_LARGE: { fault: 'caller', status: 413, title: 'Payload too large' },
  TOO_MANY_EMPLOYEES: { fault: 'caller', status: 413, title: 'Too many employees' },
  UNSUPPORTED_MEDIA_TYPE: { fault: 'caller', status: 415, title: 'Unsupported media type' },
  HEADERS_TOO_LARGE: { fault: 'caller', status: 431, title: 'Request headers too large' },
  REQUEST_TIMEOUT: { fault: 'caller', status: 408, title: 'Request timeout' },
  RATE_LIMITED: { fault: 'caller', status: 429, title: 'Too many requests' },
  UNAVAILABLE: { fault: 'transient', title: 'Service unavailable' },
  INTERNAL: { fault: 'ours', title: 'Internal error' },
};

/** Fault, HTTP status and title of each code, the status derived from the fault. */
export const API_ERRORS: Readonly<Record<ApiErrorCode, { fault: Fault; status: number; title: string }>> = Object.fromEntries(
  Object.entries(API_ERROR_ROWS).map(([code, row]) => [
    code,
    { fault: row.fault, status: row.fault === 'caller' ? row.status : FAULT_STATUS[row.fault], title: row.title },
  ]),
) as Record<ApiErrorCode, { fault: Fault; status: number; title: string }>;

/** An error the API answers on purpose, with a code, a detail for the client and listed problems. */
export class ApiError extends CodedError<ApiErrorCode> {
  readonly status: number;
  constructor(
    code: ApiErrorCode,
    readonly detail: string,
    readonly errors?: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(code, API_ERRORS[code].fault, detail, options);
    this.status = API_ERRORS[code].status;
  }
}
