import { CodedError, type Fault } from '@insights/errors';

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

/**
 * Whose fault each failure is: the worker retries or gives up from it, the API decides from it
 * which reasons a client reads as they are, the CLI its exit status. OUT_OF_MEMORY is the
 * caller's: the job asks for more than the documented per-thread limit, and a retry of the same
 * job fails the same way (as TOO_MANY_EMPLOYEES at the door).
 */
export const JOB_FAULTS: Readonly<Record<JobErrorCode, Fault>> = {
  INVALID_PAYLOAD: 'caller',
  INVALID_INPUT: 'caller',
  NOT_FOUND: 'caller',
  OUT_OF_MEMORY: 'caller',
  UNAVAILABLE: 'transient',
  INTERNAL: 'ours',
};

/** A failure with a stable code, whose message becomes the job's failure reason. */
export class JobError extends CodedError<JobErrorCode> {
  constructor(code: JobErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, JOB_FAULTS[code], `${code}: ${message}`, options);
  }
}

/** The code at the start of a failure reason, if it has one. */
export function codeOfReason(reason: string | undefined): JobErrorCode | undefined {
  const code = reason?.split(':', 1)[0];
  return code !== undefined && code in JobErrorCode ? (code as JobErrorCode) : undefined;
}

/** Whose fault a failed job's reason says it is: a reason without a known code is ours (a bug). */
export function faultOfReason(reason: string | undefined): Fault {
  const code = codeOfReason(reason);
  return code === undefined ? 'ours' : JOB_FAULTS[code];
}
