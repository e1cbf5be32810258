import type { QueueEvents } from 'bullmq';
import { DEFAULT_WAIT_MS } from './fleet-worker.js';

/** One event of a queue's event stream. */
export interface QueueEvent {
  event: string;
  jobId: string;
  payload: Record<string, unknown>;
}

const RECORDED_EVENTS = ['active', 'progress', 'completed', 'failed', 'delayed', 'waiting', 'stalled', 'retries-exhausted'] as const;

/** Records a queue's events and lets a test wait for one, already seen or to come. */
export class QueueRecorder {
  readonly seen: QueueEvent[] = [];
  private readonly waiters = new Set<{ test(e: QueueEvent): boolean; resolve(e: QueueEvent): void }>();

  constructor(readonly events: QueueEvents) {
    for (const event of RECORDED_EVENTS) {
      (events as unknown as { on(name: string, listener: (payload: Record<string, unknown>) => void): void }).on(event, (payload) => {
        const recorded = { event, jobId: String(payload.jobId), payload };
        this.seen.push(recorded);
        for (const waiter of this.waiters) {
          if (waiter.test(recorded)) {
            this.waiters.delete(waiter);
            waiter.resolve(recorded);
          }
        }
      });
    }
  }

  /** The first event `test` accepts, failing after `timeoutMs` with the events seen for context. */
  waitFor(test: (e: QueueEvent) => boolean, what: string, timeoutMs = DEFAULT_WAIT_MS): Promise<QueueEvent> {
    const seen = this.seen.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const tail = this.seen.slice(-10).map((e) => `    ${e.event} ${e.jobId} ${JSON.stringify(e.payload).slice(0, 200)}`);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n  last queue events:\n${tail.join('\n') || '    (none)'}`));
      }, timeoutMs);
      const waiter = {
        test,
        resolve: (e: QueueEvent) => {
          clearTimeout(timer);
          resolve(e);
        },
      };
      this.waiters.add(waiter);
    });
  }

  /**
   * How a job's first attempt ended: 'completed', 'failed' (for good), or 'delayed' / 'waiting'
   * (put back for another attempt).
   */
  outcome(jobId: string, timeoutMs = DEFAULT_WAIT_MS): Promise<QueueEvent> {
    return this.waitFor(
      (e) => e.jobId === jobId && (['completed', 'failed', 'delayed'].includes(e.event) || (e.event === 'waiting' && e.payload.prev === 'failed')),
      `the first attempt of job ${jobId} to end`,
      timeoutMs,
    );
  }

  /** Closes the listener (and the connection it duplicated). */
  close(): Promise<void> {
    return this.events.close();
  }
}
