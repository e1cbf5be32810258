import { UnrecoverableError } from 'bullmq';
import { faultOf, type Fault } from '@insights/errors';

/**
 * The worker's one table from fault to BullMQ's decision: the caller's fault fails the job at
 * once (a retry would fail the same way); ours and transient ones are retried with backoff.
 */
export const RETRY: Readonly<Record<Fault, 'unrecoverable' | 'retry'>> = { caller: 'unrecoverable', ours: 'retry', transient: 'retry' };

/** What to throw to BullMQ for a job's failure: the error itself, or an UnrecoverableError with its message (its code first). */
export function forBullMq(error: unknown): unknown {
  if (error instanceof UnrecoverableError || RETRY[faultOf(error)] === 'retry') return error;
  return Object.assign(new UnrecoverableError((error as Error).message), { code: (error as { code?: string }).code });
}
