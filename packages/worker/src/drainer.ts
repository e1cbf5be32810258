import type { Logger } from 'pino';
import { bounded, raceTimeout } from '@insights/runtime';
import type { WorkerParts } from './worker-parts.js';

/** How long handing one job back to the queue may take (Redis may be down or frozen). */
const HAND_BACK_TIMEOUT_MS = 2_000;

/**
 * Drains a worker: stops taking jobs and lets those in flight finish, up to `timeoutMs`; jobs
 * still running then are moved back to waiting (lock released, no attempt counted) for another
 * worker to take, and their computations stopped. Bounded whatever Redis does: it never waits
 * past the timeout plus one bounded hand-back per job. Closing the parts is the scope's job.
 */
export async function drainWorker(parts: WorkerParts, timeoutMs: number, log: Logger): Promise<{ handedBack: number }> {
  parts.startDraining();
  log.info({ in_flight: parts.inFlight.size }, 'draining: no new jobs, waiting for those in flight');
  const deadline = Date.now() + timeoutMs;
  // A BullMQ connection closed while it is still starting emits an error nobody listens to any
  // more, which ends the process: let them finish starting first, within the same timeout.
  await bounded('workers starting', timeoutMs, () => Promise.all(parts.workers.map((w) => w.waitUntilReady()))).catch(() => undefined);
  const drained = Promise.all(parts.workers.map((w) => w.close())).then(
    () => true,
    () => true,
  );
  const finished = await raceTimeout(drained, Math.max(0, deadline - Date.now()), () => false);
  let handedBack = 0;
  if (finished) return { handedBack };
  for (const [job, token] of parts.inFlight) {
    try {
      await bounded(`handing back job ${job.id}`, HAND_BACK_TIMEOUT_MS, () => job.moveToWait(token));
      parts.handedBack.add(job);
      handedBack++;
    } catch (err) {
      log.warn({ job_id: job.id, err }, 'could not hand a job back; it will be re-run once its lock lapses');
    }
  }
  log.warn({ handed_back: handedBack }, 'drain timeout: jobs still running were handed back to the queue');
  // Stop their computations now: their results would be another worker's to produce.
  await parts.compute.close().catch(() => undefined);
  return { handedBack };
}
