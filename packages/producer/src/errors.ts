import { CodedError, type Fault } from '@insights/errors';

/** Stable codes of the client's own errors. */
export const ProducerErrorCode = {
  JOB_NOT_FOUND: 'JOB_NOT_FOUND',
  NOT_CANCELLABLE: 'NOT_CANCELLABLE',
  RESULT_TIMEOUT: 'RESULT_TIMEOUT',
  IDEMPOTENCY_KEY_REUSED: 'IDEMPOTENCY_KEY_REUSED',
} as const;
export type ProducerErrorCode = (typeof ProducerErrorCode)[keyof typeof ProducerErrorCode];

/** Whose fault each code is: a job that is not there or not cancellable is the caller's; a wait that ran out may succeed later. */
export const PRODUCER_FAULTS: Readonly<Record<ProducerErrorCode, Fault>> = {
  JOB_NOT_FOUND: 'caller',
  NOT_CANCELLABLE: 'caller',
  RESULT_TIMEOUT: 'transient',
  IDEMPOTENCY_KEY_REUSED: 'caller',
};

/** No job with that id in any queue (or it has been removed after its retention). */
export class JobNotFoundError extends CodedError<ProducerErrorCode> {
  constructor(readonly jobId: string) {
    super(ProducerErrorCode.JOB_NOT_FOUND, PRODUCER_FAULTS.JOB_NOT_FOUND, `no job ${jobId} in any queue`);
  }
}

/** The job has started or finished: only waiting jobs can be cancelled. */
export class NotCancellableError extends CodedError<ProducerErrorCode> {
  constructor(
    readonly jobId: string,
    readonly state: string,
  ) {
    super(ProducerErrorCode.NOT_CANCELLABLE, PRODUCER_FAULTS.NOT_CANCELLABLE, `job ${jobId} is ${state}: only a job that has not started can be cancelled`);
  }
}

/** The job did not finish in time. */
export class ResultTimeoutError extends CodedError<ProducerErrorCode> {
  constructor(
    readonly jobId: string,
    readonly timeoutMs: number,
  ) {
    super(ProducerErrorCode.RESULT_TIMEOUT, PRODUCER_FAULTS.RESULT_TIMEOUT, `job ${jobId} did not finish within ${timeoutMs} ms`);
  }
}

/** The idempotency key was used before with a different request; a new request needs a new key. */
export class IdempotencyKeyReusedError extends CodedError<ProducerErrorCode> {
  constructor(message: string) {
    super(ProducerErrorCode.IDEMPOTENCY_KEY_REUSED, PRODUCER_FAULTS.IDEMPOTENCY_KEY_REUSED, message);
  }
}
