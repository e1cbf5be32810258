/** Stable codes of job failures, written at the start of a failed job's reason as `CODE: message`. */
export const JobErrorCode = {
  /** The payload does not match its schema: never retried. */
  INVALID_PAYLOAD: 'INVALID_PAYLOAD',
  /** The data or options cannot be clustered (too few rows, bad parameters): never retried. */
  INVALID_INPUT: 'INVALID_INPUT',
  /** The referenced data set or clustering result does not exist (or belongs to someone else). */
  NOT_FOUND: 'NOT_FOUND',
  /** The computation needed more memory than a thread may use. */
  OUT_OF_MEMORY: 'OUT_OF_MEMORY',
  /** Redis or PostgreSQL could not be reached: retried with backoff. */
  UNAVAILABLE: 'UNAVAILABLE',
  /** A bug: retried, and reported. */
  INTERNAL: 'INTERNAL',
} as const;
export type JobErrorCode = (typeof JobErrorCode)[keyof typeof JobErrorCode];

/** A failure with a stable code, whose message becomes the job's failure reason. */
export class JobError extends Error {
  readonly code: JobErrorCode;
  /** Whether retrying can help. */
  readonly retryable: boolean;
  constructor(code: JobErrorCode, message: string, options?: { cause?: unknown }) {
    super(`${code}: ${message}`, options);
    this.name = 'JobError';
    this.code = code;
    this.retryable = code === JobErrorCode.UNAVAILABLE || code === JobErrorCode.INTERNAL;
  }
}

/** The code at the start of a failure reason, if it has one. */
export function codeOfReason(reason: string | undefined): JobErrorCode | undefined {
  const code = reason?.split(':', 1)[0];
  return code !== undefined && code in JobErrorCode ? (code as JobErrorCode) : undefined;
}
