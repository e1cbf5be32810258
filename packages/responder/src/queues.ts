import { Queue } from 'bullmq';
import type { RedisClient } from '@insights/runtime';
import { QUEUE_NAMES } from '@insights/jobs';
import { collectSnapshot, type DiagnosticSnapshot } from './snapshot.js';

/** What the responder does to the queues. */
export interface QueueControl {
  /** Every queue of the fleet, for the snapshot. */
  readonly names: readonly string[];
  isPaused(queue: string): Promise<boolean>;
  /** Stops workers from taking new jobs of the queue (jobs in flight finish; new jobs still queue up). */
  pause(queue: string): Promise<void>;
  resume(queue: string): Promise<void>;
  snapshot(now: Date): Promise<DiagnosticSnapshot>;
  /** Answers when Redis does. */
  ping(): Promise<unknown>;
  close(): Promise<void>;
}

/** The fleet's queues through BullMQ, on a connection the caller owns (closed with `close`). */
export function createQueueControl(connection: RedisClient, prefix: string, names: readonly string[] = QUEUE_NAMES): QueueControl {
  const queues = new Map(names.map((name) => [name, new Queue(name, { connection, prefix })]));
  const queue = (name: string): Queue => {
    const found = queues.get(name);
    if (!found) throw new Error(`unknown queue ${name}`);
    return found;
  };
  return {
    names,
    isPaused: (name) => queue(name).isPaused(),
    pause: (name) => queue(name).pause(),
    resume: (name) => queue(name).resume(),
    snapshot: (now) => collectSnapshot([...queues.values()], now),
    ping: () => connection.ping(),
    async close() {
      await Promise.all([...queues.values()].map((q) => q.close()));
      await connection.quit().catch(() => connection.disconnect());
    },
  };
}
