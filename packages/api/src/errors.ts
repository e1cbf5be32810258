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
  /** The job has no result (yet): it is waiting, running, failed or was cancelled. */
  RESULT_NOT_READY: 'RESULT_NOT_READY',
  /** The Idempotency-Key was used before with a different request. */
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
  /** The body is larger than INSIGHTS_MAX_BODY_MB. */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** More people than INSIGHTS_MAX_EMPLOYEES in one job. */
  TOO_MANY_EMPLOYEES: 'TOO_MANY_EMPLOYEES',
  /** The body is neither `text/csv` nor `application/json`. */
  UNSUPPORTED_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  /** The organisation sent more than INSIGHTS_RATE_LIMIT_PER_MINUTE requests this minute. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** Redis or PostgreSQL cannot be reached: try again later. */
  UNAVAILABLE: 'UNAVAILABLE',
  /** A bug: the detail says only that; the log has the request id and the error. */
  INTERNAL: 'INTERNAL',
} as const;
export type ApiErrorCode = (typeof ApiErrorCode)[keyof typeof ApiErrorCode];

/** HTTP status and title of each code. */
export const API_ERRORS: Readonly<Record<ApiErrorCode, { status: number; title: string }>> = {
  INVALID_REQUEST: { status: 400, title: 'Invalid request' },
  INVALID_INPUT: { status: 422, title: 'Invalid input data' },
  INVALID_OPTIONS: { status: 422, title: 'Invalid options' },
  UNAUTHORIZED: { status: 401, title: 'Unauthorized' },
  NOT_FOUND: { status: 404, title: 'Not found' },
  NOT_CANCELLABLE: { status: 409, title: 'Job is running' },
  RESULT_NOT_READY: { status: 409, title: 'Result not ready' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, title: 'Idempotency key reused' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'Payload too large' },
  TOO_MANY_EMPLOYEES: { status: 413, title: 'Too many employees' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'Unsupported media type' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  UNAVAILABLE: { status: 503, title: 'Service unavailable' },
  INTERNAL: { status: 500, title: 'Internal error' },
};

/** An error the API answers on purpose, with a code, a detail for the client and listed problems. */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ApiErrorCode,
    readonly detail: string,
    readonly errors?: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(detail, options);
    this.name = 'ApiError';
    this.status = API_ERRORS[code].status;
  }
}
