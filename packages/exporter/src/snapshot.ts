import { raceTimeout } from '@insights/runtime';
import type { QueueState } from './queue-state.js';

/** The outcome of reading the queues for one scrape. */
type Snapshot =
  | { ok: true; queues: Map<string, QueueState>; durationSeconds: number; takenAt: number }
  | { ok: false; error: Error; durationSeconds: number; takenAt: number };

/** Gives the snapshot of the scrape in progress. */
export type SnapshotSource = () => Promise<Snapshot>;

/** What a snapshot source needs. */
export interface SnapshotOptions {
  /** Reads every watched queue. */
  read(): Promise<Map<string, QueueState>>;
  /** A read taking longer than this fails the snapshot. */
  timeoutMs: number;
  /** Wall clock in ms (default Date.now). */
  now?: () => number;
  /** Called with the error of a failed read, e.g. to log it. */
  onError?: (error: Error) => void;
}

/**
 * A snapshot source for the gauges' `collect()`: every collect of one scrape starts in the same
 * tick (prom-client's `Registry.metrics()` gets all metrics at once), so they share one read of
 * Redis; a scrape that starts while a read is in flight shares it too. The read fails after
 * `timeoutMs`, so a scrape answers even when Redis does not.
 */
export function createSnapshotSource(options: SnapshotOptions): SnapshotSource {
  const now = options.now ?? Date.now;
  let inFlight: Promise<Snapshot> | undefined;
  const take = async (): Promise<Snapshot> => {
    const started = performance.now();
    try {
      const queues = await raceTimeout(options.read(), options.timeoutMs, () => {
        throw new Error(`Redis did not answer within ${options.timeoutMs} ms`);
      });
      return { ok: true, queues, durationSeconds: (performance.now() - started) / 1000, takenAt: now() };
    } catch (error) {
      options.onError?.(error as Error);
      return { ok: false, error: error as Error, durationSeconds: (performance.now() - started) / 1000, takenAt: now() };
    }
  };
  return () => {
    inFlight ??= take().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };
}
