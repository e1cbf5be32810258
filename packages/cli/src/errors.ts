import { CodedError, type Fault } from '@insights/errors';

/** Exit statuses of the `insights` command. */
export const ExitCode = {
  OK: 0,
  /** Our fault, or a service unreachable now: a bug, or a resource the machine lacks. */
  INTERNAL: 1,
  /** The caller's fault (bad input, bad options, bad configuration): the message says what and where. */
  USAGE: 2,
} as const;

/** The command's one table from fault to exit status: 2 for the caller's fault, 1 for ours or a transient one. */
export const EXIT_STATUS: Readonly<Record<Fault, number>> = { caller: ExitCode.USAGE, ours: ExitCode.INTERNAL, transient: ExitCode.INTERNAL };

/** A mistake in how the command was called (a file that cannot be read, an option out of range). */
export class UsageError extends CodedError<'USAGE'> {
  constructor(message: string, options?: { cause?: unknown }) {
    super('USAGE', 'caller', message, options);
  }
}

/** A job the fleet ran failed for a reason that is not the caller's (a bug, retries exhausted): exit status 1. */
export class JobFailedError extends CodedError<'JOB_FAILED'> {
  constructor(message: string) {
    super('JOB_FAILED', 'ours', message);
  }
}

/** `--wait` gave up before the job finished (`--timeout`): the job itself goes on, exit status 1. */
export class WaitTimeoutError extends CodedError<'WAIT_TIMEOUT'> {
  constructor(message: string) {
    super('WAIT_TIMEOUT', 'transient', message);
  }
}
