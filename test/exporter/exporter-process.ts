import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { parseExposition, type Exit, type Exposition, type LogLine } from '../helpers/fleet.js';
import { CLI } from '../helpers/run-cli.js';

const WAIT_MS = 20_000;

/** A free TCP port on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** One scrape of /metrics: status, raw text, parsed samples and how long it took. */
export interface Scrape {
  status: number;
  text: string;
  metrics: Exposition;
  ms: number;
}

/**
 * An `insights exporter` process whose pino lines are parsed as they come; waits are event-driven
 * (a log line), each with a timeout that shows the last lines.
 */
export class ExporterProcess {
  readonly logs: LogLine[] = [];
  stderr = '';
  readonly exited: Promise<Exit>;
  private readonly child: ChildProcess;
  private readonly waiters = new Set<{ test(line: LogLine): boolean; resolve(line: LogLine): void }>();

  constructor(env: NodeJS.ProcessEnv) {
    const full: NodeJS.ProcessEnv = { ...process.env, INSIGHTS_EXPORTER_PORT: '0', INSIGHTS_EXPORTER_HOST: '127.0.0.1', LOG_LEVEL: 'debug', ...env };
    delete full.NODE_OPTIONS;
    this.child = spawn(process.execPath, [CLI, 'exporter'], { env: full, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (this.stderr += chunk));
    createInterface({ input: this.child.stdout! }).on('line', (text) => this.receive(text));
    this.exited = new Promise((resolve) => this.child.on('close', (code, signal) => resolve({ code, signal })));
  }

  /** Starts an exporter and waits until it serves and listens to the queue events. */
  static async start(env: NodeJS.ProcessEnv): Promise<ExporterProcess> {
    const exporter = new ExporterProcess(env);
    await exporter.waitFor((line) => line.msg === 'listening to queue events', 'listening to queue events');
    return exporter;
  }

  /** The port from the 'exporter ready' line. */
  get port(): number {
    const ready = this.logs.find((line) => line.msg === 'exporter ready');
    if (typeof ready?.port !== 'number') throw new Error(`the exporter has not logged its port\n${this.tail()}`);
    return ready.port;
  }

  /** The first line `test` accepts from index `since` on: one already logged or the next. */
  waitFor(test: (line: LogLine) => boolean, what: string, since = 0, timeoutMs = WAIT_MS): Promise<LogLine> {
    const seen = this.logs.slice(since).find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for the exporter to log ${what}\n${this.tail()}`));
      }, timeoutMs);
      const waiter = {
        test,
        resolve: (line: LogLine) => {
          clearTimeout(timer);
          resolve(line);
        },
      };
      this.waiters.add(waiter);
      void this.exited.then((exit) => {
        if (!this.waiters.delete(waiter)) return;
        clearTimeout(timer);
        reject(new Error(`the exporter exited (${exit.code ?? exit.signal}) before logging ${what}\n${this.tail()}`));
      });
    });
  }

  /** Waits until the exporter has recorded an event of this job (LOG_LEVEL debug). */
  recorded(event: string, jobId: string, timeoutMs = WAIT_MS): Promise<LogLine> {
    return this.waitFor((line) => line.msg === 'job event recorded' && line.event === event && line.job_id === jobId, `'${event}' of job ${jobId} recorded`, 0, timeoutMs);
  }

  /** GETs /metrics and parses it. */
  async scrape(): Promise<Scrape> {
    const started = performance.now();
    const response = await fetch(`http://127.0.0.1:${this.port}/metrics`);
    const text = await response.text();
    // prom-client writes NaN as `Nan` (event-loop lag between two close scrapes); Prometheus reads it either way.
    return { status: response.status, text, metrics: parseExposition(text.replace(/ Nan$/gm, ' NaN')), ms: performance.now() - started };
  }

  /** Sends SIGTERM and waits for the exit. */
  async terminate(timeoutMs = WAIT_MS): Promise<Exit> {
    this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([
      this.exited,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the exporter did not exit within ${timeoutMs} ms\n${this.tail()}`)), timeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
  }

  /** Kills the process if it still runs. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }

  private tail(): string {
    const lines = this.logs.slice(-15).map((line) => `    ${JSON.stringify(line)}`);
    return `  last lines:\n${lines.join('\n') || '    (none)'}${this.stderr ? `\n  stderr: ${this.stderr.slice(-1500)}` : ''}`;
  }

  private receive(text: string): void {
    if (text.trim() === '') return;
    let line: LogLine;
    try {
      line = JSON.parse(text) as LogLine;
    } catch {
      line = { raw: text };
    }
    this.logs.push(line);
    for (const waiter of this.waiters) {
      if (waiter.test(line)) {
        this.waiters.delete(waiter);
        waiter.resolve(line);
      }
    }
  }
}

/** Samples of one metric, each as its labels and value. */
export function samplesOf(metrics: Exposition, name: string): { labels: Record<string, string>; value: number }[] {
  return metrics.get(name) ?? [];
}
