import type { Queue } from 'bullmq';

/** The fields of a BullMQ job a snapshot reads: never `data`. */
interface JobFields {
  id?: string | undefined;
  name: string;
  timestamp: number;
  attemptsMade: number;
  failedReason?: string;
  finishedOn?: number | undefined;
}

/** Job states counted per queue. */
const COUNTED_STATES = ['waiting', 'prioritized', 'active', 'delayed', 'waiting-children', 'paused', 'completed', 'failed'] as const;

/** How many waiting jobs, and how many recent failures, a snapshot lists per queue. */
const OLDEST_JOBS = 10;
const RECENT_FAILURES = 20;
const MAX_REASON = 200;

/** A job as a snapshot shows it: never its data. */
interface JobBrief {
  id: string;
  name: string;
  age_seconds: number;
  attempts: number;
}

/** A failure as a snapshot shows it: the reason starts with the job error code and is truncated. */
interface FailureBrief {
  id: string;
  reason: string;
  finished_at: string | null;
  attempts: number;
}

/** One queue in a diagnostic snapshot. */
interface QueueDiagnosis {
  paused: boolean;
  counts: Record<string, number>;
  oldest_waiting: JobBrief[];
  workers: { name: string; addr: string }[];
  recent_failures: FailureBrief[];
}

/** A diagnostic snapshot: every queue at one moment. */
export interface DiagnosticSnapshot {
  taken_at: string;
  queues: Record<string, QueueDiagnosis>;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function brief(job: JobFields, now: number): JobBrief {
  return { id: job.id ?? '', name: job.name, age_seconds: Math.max(0, Math.round((now - job.timestamp) / 1000)), attempts: job.attemptsMade };
}

/** The oldest ready jobs (waiting or prioritized), oldest first. */
async function oldestWaiting(queue: Queue, now: number): Promise<JobBrief[]> {
  const jobs = await queue.getJobs(['waiting', 'prioritized'], 0, OLDEST_JOBS - 1, true);
  return jobs
    .filter((job): job is JobFields & typeof job => job !== undefined && job !== null)
    .sort((a, b) => a.timestamp - b.timestamp)
    .slice(0, OLDEST_JOBS)
    .map((job) => brief(job, now));
}

async function recentFailures(queue: Queue): Promise<FailureBrief[]> {
  const jobs = await queue.getFailed(0, RECENT_FAILURES - 1);
  return jobs
    .filter((job): job is JobFields & typeof job => job !== undefined && job !== null)
    .map((job) => ({
      id: job.id ?? '',
      reason: truncate(job.failedReason ?? '', MAX_REASON),
      finished_at: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
      attempts: job.attemptsMade,
    }));
}

async function diagnose(queue: Queue, now: number): Promise<QueueDiagnosis> {
  const [paused, counts, oldest, clients, failures] = await Promise.all([
    queue.isPaused(),
    queue.getJobCounts(...COUNTED_STATES),
    oldestWaiting(queue, now),
    queue.getWorkers(),
    recentFailures(queue),
  ]);
  // BullMQ names a worker's connection `<prefix>:<queue>:w:<worker name>`; an unnamed worker has no suffix.
  const workers = clients.map((client) => {
    const raw = String((client as { rawname?: string }).rawname ?? '');
    const at = raw.indexOf(':w:');
    return { name: at === -1 ? '' : raw.slice(at + 3), addr: String(client.addr ?? '') };
  });
  return { paused, counts, oldest_waiting: oldest, workers, recent_failures: failures };
}

/**
 * Reads every queue for a diagnostic snapshot: counts per state, the oldest ready jobs (id, name,
 * age, attempts), the connected workers (name and address) and the last failures (id, reason,
 * when). Job data is never read into it.
 */
export async function collectSnapshot(queues: readonly Queue[], now: Date): Promise<DiagnosticSnapshot> {
  const entries = await Promise.all(queues.map(async (queue) => [queue.name, await diagnose(queue, now.getTime())] as const));
  return { taken_at: now.toISOString(), queues: Object.fromEntries(entries) };
}
