/** Stable codes of the client's own errors. */
export const ProducerErrorCode = {
  JOB_NOT_FOUND: 'JOB_NOT_FOUND',
  NOT_CANCELLABLE: 'NOT_CANCELLABLE',
  RESULT_TIMEOUT: 'RESULT_TIMEOUT',
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
} as const;

/** No job with that id in any queue (or it has been removed after its retention). */
export class JobNotFoundError extends Error {
  readonly code = ProducerErrorCode.JOB_NOT_FOUND;
  constructor(readonly jobId: string) {
    super(`no job ${jobId} in any queue`);
    this.name = 'JobNotFoundError';
  }
}

/** The job has started or finished: only waiting jobs can be cancelled. */
export class NotCancellableError extends Error {
  readonly code = ProducerErrorCode.NOT_CANCELLABLE;
  constructor(
    readonly jobId: string,
    readonly state: string,
  ) {
    super(`job ${jobId} is ${state}: only a job that has not started can be cancelled`);
    this.name = 'NotCancellableError';
  }
}

/** The job did not finish in time. */
export class ResultTimeoutError extends Error {
  readonly code = ProducerErrorCode.RESULT_TIMEOUT;
  constructor(
    readonly jobId: string,
    readonly timeoutMs: number,
  ) {
    super(`job ${jobId} did not finish within ${timeoutMs} ms`);
    this.name = 'ResultTimeoutError';
  }
}

/** The idempotency key was used before with a different request; a new request needs a new key. */
export class IdempotencyKeyReusedError extends Error {
  readonly code = ProducerErrorCode.IDEMPOTENCY_KEY_REUSED;
  constructor(message: string) {
    super(message);
    this.name = 'IdempotencyKeyReusedError';
  }
}
