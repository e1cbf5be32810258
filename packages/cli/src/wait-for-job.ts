import { setTimeout as delay } from 'node:timers/promises';
import type { JobStatus } from '@insights/producer';
import { WaitTimeoutError } from './errors.js';

/** States in which no worker has taken the job yet. */
const NOT_TAKEN: ReadonlySet<string> = new Set(['waiting', 'delayed', 'prioritized', 'waiting-children']);

/** How `--wait` waits: how long at most, when to say that no worker took the job, where to show progress. */
export interface WaitOptions {
  timeoutMs: number;
  /** After this long with the job still queued, one warning that no worker has taken it. */
  warnAfterMs: number;
  view: ProgressView;
  /** The clustering job a team formation waits for (a flow's child): whether a worker took that one counts. */
  childId?: string;
}

/** Where the progress of a waited-for job is shown. */
export interface ProgressView {
  /** The job's state, stage and percent changed. */
  update(status: { state: string; stage?: string; percent?: number }): void;
  /** Something the user should know while waiting (no worker yet). */
  warn(message: string): void;
  /** The wait is over (the job ended, or the wait gave up). */
  end(): void;
}

/** Raised when the job failed: its reason, for the caller to map by its fault. */
export class JobFailure extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'JobFailure';
  }
}

/**
 * Polls a job until it completes, showing each change of state or stage, warning once when no
 * worker has taken it after `warnAfterMs`, and giving up after `timeoutMs` (the job goes on).
 * Polling rather than queue events: the view needs the stage, which events do not carry, and a
 * poll every half second costs the fleet nothing.
 *
 * @throws {JobFailure} with the job's failure reason
 * @throws {WaitTimeoutError} when the job has not finished in time
 */
export async function waitForJob(getJob: (id: string) => Promise<JobStatus>, id: string, options: WaitOptions): Promise<JobStatus> {
  const started = Date.now();
  let shown = '';
  let warned = false;
  let pause = 50;
  try {
    for (;;) {
      const status = await getJob(id);
      const { stage, percent } = progressOf(status.progress);
      const key = `${status.state}|${stage ?? ''}|${percent ?? ''}`;
      if (key !== shown) {
        shown = key;
        options.view.update({ state: status.state, stage, percent });
      }
      if (status.state === 'completed') return status;
      if (status.state === 'failed') throw new JobFailure(status.failedReason ?? 'no reason given');
      const waited = Date.now() - started;
      if (!warned && waited >= options.warnAfterMs && (await notTaken(getJob, status, options.childId))) {
        warned = true;
        options.view.warn(
          `no worker has taken job ${id} after ${Math.round(waited / 1000)} s: is one running? (\`npx insights workers\` lists them; \`npx insights worker\` starts one)`,
        );
      }
      if (waited >= options.timeoutMs) {
        throw new WaitTimeoutError(
          `job ${id} had not finished after ${options.timeoutMs / 1000} s (${status.state}); it goes on: \`npx insights status ${id}\``,
        );
      }
      await delay(Math.min(pause, Math.max(1, options.timeoutMs - waited)));
      pause = Math.min(pause * 2, 500);
    }
  } finally {
    options.view.end();
  }
}

/** Whether no worker has taken the job (or, while it waits for its child, the child) yet. */
async function notTaken(getJob: (id: string) => Promise<JobStatus>, status: JobStatus, childId: string | undefined): Promise<boolean> {
  if (status.state === 'waiting-children' && childId !== undefined) {
    const child = await getJob(childId).catch(() => undefined);
    return child !== undefined && NOT_TAKEN.has(child.state) && child.attempts === 0;
  }
  return NOT_TAKEN.has(status.state) && status.attempts === 0;
}

/** The stage and percent of a job's progress (`{ stage, percent }`, as the worker reports it). */
function progressOf(progress: unknown): { stage?: string; percent?: number } {
  if (typeof progress === 'number') return { percent: progress };
  if (typeof progress !== 'object' || progress === null) return {};
  const { stage, percent } = progress as { stage?: unknown; percent?: unknown };
  return { ...(typeof stage === 'string' ? { stage } : {}), ...(typeof percent === 'number' ? { percent } : {}) };
}

const BAR_WIDTH = 24;

/**
 * Progress on a terminal: one line redrawn in place, `job ID  active  clustering  [#####-----]  50%`;
 * elsewhere (a pipe, a log), one plain line per change.
 */
export function progressView(id: string, out: NodeJS.WriteStream): ProgressView {
  const tty = out.isTTY === true;
  let drawn = false;
  return {
    update({ state, stage, percent }) {
      if (!tty) {
        out.write(`job ${id}: ${state}${stage ? `, stage ${stage}` : ''}${percent !== undefined ? ` (${percent}%)` : ''}\n`);
        return;
      }
      const done = Math.round(((state === 'completed' ? 100 : (percent ?? 0)) / 100) * BAR_WIDTH);
      const bar = `[${'#'.repeat(done)}${'-'.repeat(BAR_WIDTH - done)}]`;
      out.write(
        `\r\x1b[2Kjob ${id}  ${state.padEnd(9)} ${(stage ?? '').padEnd(10)} ${bar} ${String(state === 'completed' ? 100 : (percent ?? 0)).padStart(3)}%`,
      );
      drawn = true;
    },
    warn(message) {
      out.write(`${drawn ? '\n' : ''}warning: ${message}\n`);
      drawn = false;
    },
    end() {
      if (drawn) out.write('\n');
      drawn = false;
    },
  };
}
