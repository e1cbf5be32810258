/** Exit statuses of the `insights` command. */
export const ExitCode = {
  OK: 0,
  /** An internal error: a bug, or a resource the machine lacks. */
  INTERNAL: 1,
  /** Bad input or bad options: the message says what and where. */
  USAGE: 2,
} as const;

/** A mistake in how the command was called (a file that cannot be read, an option out of range). */
export class UsageError extends Error {
  readonly code = 'USAGE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UsageError';
  }
}

/** A job the fleet ran failed for a reason that is not the caller's (out of memory, a bug): exit status 1. */
export class JobFailedError extends Error {
  readonly code = 'JOB_FAILED';
  constructor(message: string) {
    super(message);
    this.name = 'JobFailedError';
  }
}
