import { LoggedProcess, type ProcessExit } from './processes.js';
import { CLI } from './run-cli.js';

/** One JSON line a worker logged with pino. */
export type LogLine = Record<string, unknown> & { msg?: string; level?: number };

/** How a process ended. */
export type Exit = ProcessExit;

/** A line to wait for: a predicate plus what it means, for the timeout message. */
export interface WaitOptions {
  /** Fails after this long (default 30 s). */
  timeoutMs?: number;
  /** Only lines logged at or after this index of `logs` count (default 0: every line so far). */
  since?: number;
  /** What is awaited, for the failure message. */
  what?: string;
}

/** How long a wait lasts unless told otherwise. */
export const DEFAULT_WAIT_MS = 30_000;

/**
 * A worker process (`insights worker`) whose output is read line by line as pino JSON. Every wait
 * is event-driven and has a timeout whose error shows the last lines.
 */
export class FleetWorker {
  private readonly process: LoggedProcess;

  constructor(
    readonly name: string,
    env: NodeJS.ProcessEnv,
  ) {
    this.process = new LoggedProcess(`worker ${name}`, process.execPath, [CLI, 'worker'], env);
  }

  /** Every line written so far, parsed (a line that is not JSON is kept as `{ raw }`). */
  get logs(): LogLine[] {
    return this.process.lines;
  }

  /** Everything written to stderr. */
  get stderr(): string {
    return this.process.stderr;
  }

  /** Resolves when the process has exited, with its exit code or signal. */
  get exited(): Promise<Exit> {
    return this.process.exited;
  }

  get pid(): number {
    return this.process.pid;
  }

  /** Whether the process is still running. */
  get running(): boolean {
    return this.process.running;
  }

  /** The port of /metrics and /health, from the 'worker ready' line. */
  get port(): number {
    const ready = this.logs.find((line) => line.msg === 'worker ready');
    if (typeof ready?.port !== 'number') throw new Error(`worker ${this.name} has not logged its port yet\n${this.process.tail()}`);
    return ready.port;
  }

  /** The lines with this message, optionally of one job. */
  lines(msg: string, jobId?: string): LogLine[] {
    return this.logs.filter((line) => line.msg === msg && (jobId === undefined || line.job_id === jobId));
  }

  /**
   * The first line (from `since`, default every line so far) that matches: one already logged,
   * or the next to come. Rejects on timeout or when the process exits first.
   */
  waitForLog(test: (line: LogLine) => boolean, options: WaitOptions = {}): Promise<LogLine> {
    return this.process.waitFor(test, options.what ?? test.toString(), { since: options.since, timeoutMs: options.timeoutMs ?? DEFAULT_WAIT_MS });
  }

  /** Waits for a line with this message (and job id, when given). */
  waitForMessage(msg: string, jobId?: string, options: WaitOptions = {}): Promise<LogLine> {
    return this.waitForLog((line) => line.msg === msg && (jobId === undefined || line.job_id === jobId), {
      what: `'${msg}'${jobId ? ` for job ${jobId}` : ''}`,
      ...options,
    });
  }

  /** Sends a signal (no-op once the process has exited). */
  kill(signal: NodeJS.Signals = 'SIGTERM'): void {
    this.process.signal(signal);
  }

  /** Waits for the exit, failing after `timeoutMs`. */
  waitForExit(timeoutMs = DEFAULT_WAIT_MS): Promise<Exit> {
    return this.process.waitForExit(timeoutMs);
  }

  /** Kills the process if it still runs and waits for it to be gone. */
  stop(): Promise<void> {
    return this.process.kill();
  }
}
