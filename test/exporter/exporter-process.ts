import { parseExposition, type Exposition } from '../helpers/exposition.js';
import { LoggedProcess, type Line, type ProcessExit } from '../helpers/processes.js';

const WAIT_MS = 20_000;

/** One scrape of /metrics: status, raw text, parsed samples and how long it took. */
export interface Scrape {
  status: number;
  text: string;
  metrics: Exposition;
  ms: number;
}

/**
 * An `insights exporter` process (at debug level, on a free port), with waits on its log lines
 * and scrapes of its /metrics.
 */
export class ExporterProcess {
  readonly process: LoggedProcess;

  constructor(env: NodeJS.ProcessEnv) {
    const full: NodeJS.ProcessEnv = { ...process.env, INSIGHTS_EXPORTER_PORT: '0', INSIGHTS_EXPORTER_HOST: '127.0.0.1', LOG_LEVEL: 'debug', ...env };
    delete full.NODE_OPTIONS;
    this.process = LoggedProcess.insights('exporter', full);
  }

  /** Starts an exporter and waits until it serves and listens to the queue events. */
  static async start(env: NodeJS.ProcessEnv): Promise<ExporterProcess> {
    const exporter = new ExporterProcess(env);
    await exporter.waitFor((line) => line.msg === 'listening to queue events', 'listening to queue events');
    return exporter;
  }

  /** Every line logged so far. */
  get logs(): Line[] {
    return this.process.lines;
  }

  /** Everything written to stderr. */
  get stderr(): string {
    return this.process.stderr;
  }

  get exited(): Promise<ProcessExit> {
    return this.process.exited;
  }

  /** The port from the 'exporter ready' line. */
  get port(): number {
    const ready = this.logs.find((line) => line.msg === 'exporter ready');
    if (typeof ready?.port !== 'number') throw new Error(`the exporter has not logged its port\n${this.process.tail()}`);
    return ready.port;
  }

  /** The first line `test` accepts from index `since` on: one already logged or the next. */
  waitFor(test: (line: Line) => boolean, what: string, since = 0, timeoutMs = WAIT_MS): Promise<Line> {
    return this.process.waitFor(test, what, { since, timeoutMs });
  }

  /** Waits until the exporter has recorded an event of this job (LOG_LEVEL debug). */
  recorded(event: string, jobId: string, timeoutMs = WAIT_MS): Promise<Line> {
    return this.waitFor(
      (line) => line.msg === 'job event recorded' && line.event === event && line.job_id === jobId,
      `'${event}' of job ${jobId} recorded`,
      0,
      timeoutMs,
    );
  }

  /** GETs /metrics and parses it. */
  async scrape(): Promise<Scrape> {
    const started = performance.now();
    const response = await fetch(`http://127.0.0.1:${this.port}/metrics`);
    const text = await response.text();
    return { status: response.status, text, metrics: parseExposition(text), ms: performance.now() - started };
  }

  /** Sends SIGTERM and waits for the exit. */
  terminate(timeoutMs = WAIT_MS): Promise<ProcessExit> {
    return this.process.terminate('SIGTERM', timeoutMs);
  }

  /** Kills the process if it still runs. */
  stop(): Promise<void> {
    return this.process.kill();
  }
}

/** Samples of one metric, each as its labels and value. */
export function samplesOf(metrics: Exposition, name: string): { labels: Record<string, string>; value: number }[] {
  return metrics.get(name) ?? [];
}
