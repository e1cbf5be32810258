import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { CLI } from './run-cli.js';

/** One output line of a process: parsed JSON (pino) when it is JSON, else the raw text. */
export type Line = Record<string, unknown> & { raw?: string; msg?: string };

/** How a process ended. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Where to look and how long to wait. */
export interface WaitOptions {
  /** Only lines from this index of `lines` on count (default 0: every line so far). */
  since?: number;
  timeoutMs?: number;
}

const WAIT_MS = 20_000;

/**
 * A long-running process of an end-to-end test (`insights api`, `insights exporter`,
 * `prometheus`, `alertmanager` …) whose stdout and stderr are read line by line, so that a test
 * waits for the line that says something happened rather than for a fixed time. Every wait has
 * a timeout whose error shows the last lines, and fails at once if the process exits first.
 */
export class LoggedProcess {
  /** Every line of both streams, in order, parsed. */
  readonly lines: Line[] = [];
  /** Every line of both streams as text, with the stream it came on. */
  readonly output: { stream: 'stdout' | 'stderr'; text: string }[] = [];
  readonly exited: Promise<ProcessExit>;
  private alive = true;
  private readonly waiters = new Set<{ since: number; test(line: Line): boolean; resolve(line: Line): void; reject(error: Error): void }>();
  private readonly child: ChildProcess;

  constructor(
    readonly name: string,
    command: string,
    args: string[],
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    createInterface({ input: this.child.stdout! }).on('line', (text) => this.receive('stdout', text));
    createInterface({ input: this.child.stderr! }).on('line', (text) => this.receive('stderr', text));
    this.exited = new Promise((resolve) => {
      this.child.on('close', (code, signal) => {
        this.alive = false;
        for (const waiter of this.waiters) waiter.reject(new Error(`${name} exited (${code ?? signal}) first\n${this.tail()}`));
        this.waiters.clear();
        resolve({ code, signal });
      });
    });
    this.child.on('error', (error) => {
      for (const waiter of this.waiters) waiter.reject(error);
    });
  }

  /** `insights COMMAND` with this environment. */
  static insights(command: string, env: NodeJS.ProcessEnv): LoggedProcess {
    return new LoggedProcess(`insights ${command}`, process.execPath, [CLI, command], env);
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** Whether the process is still running. */
  get running(): boolean {
    return this.alive;
  }

  /** Everything written to stderr. */
  get stderr(): string {
    return this.output
      .filter((line) => line.stream === 'stderr')
      .map((line) => `${line.text}\n`)
      .join('');
  }

  /** The last lines, for failure messages. */
  tail(count = 15): string {
    return this.output
      .slice(-count)
      .map((line) => `    [${line.stream}] ${line.text}`)
      .join('\n');
  }

  /** The first line (already seen or to come) that passes `test`; fails after the timeout or on exit. */
  waitFor(test: (line: Line) => boolean, what: string, options: WaitOptions = {}): Promise<Line> {
    const since = options.since ?? 0;
    const timeoutMs = options.timeoutMs ?? WAIT_MS;
    const seen = this.lines.slice(since).find(test);
    if (seen) return Promise.resolve(seen);
    if (!this.alive) return Promise.reject(new Error(`${this.name} has exited; it never logged ${what}\n${this.tail()}`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${this.name} to log ${what}\n${this.tail()}`));
      }, timeoutMs);
      const waiter = {
        since,
        test,
        resolve: (line: Line) => {
          clearTimeout(timer);
          resolve(line);
        },
        reject: (error: Error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.waiters.add(waiter);
    });
  }

  /** Waits for a JSON line whose fields (`msg` and others) have these values. */
  waitForLog(fields: Record<string, unknown>, options: WaitOptions = {}): Promise<Line> {
    return this.waitFor((line) => Object.entries(fields).every(([key, value]) => line[key] === value), JSON.stringify(fields), options);
  }

  /** Sends a signal (nothing once the process has exited). */
  signal(signal: NodeJS.Signals): void {
    if (this.alive) this.child.kill(signal);
  }

  /** Sends a signal and waits for the exit, failing after `timeoutMs`. */
  terminate(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = WAIT_MS): Promise<ProcessExit> {
    this.signal(signal);
    return this.waitForExit(timeoutMs);
  }

  /** Waits for the exit, failing after `timeoutMs`. */
  waitForExit(timeoutMs = WAIT_MS): Promise<ProcessExit> {
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([
      this.exited,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${this.name} did not exit within ${timeoutMs} ms\n${this.tail()}`)), timeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
  }

  /** Sends SIGTERM, then SIGKILL if the process is still there after `graceMs`; resolves once it is gone. */
  async stop(graceMs = 5_000): Promise<void> {
    if (!this.alive) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Kills the process at once (a crash, as far as the rest of the fleet can tell). */
  async kill(): Promise<void> {
    if (!this.alive) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  private receive(stream: 'stdout' | 'stderr', text: string): void {
    if (text.trim() === '') return;
    this.output.push({ stream, text });
    let line: Line;
    try {
      const parsed: unknown = JSON.parse(text);
      line = typeof parsed === 'object' && parsed !== null ? (parsed as Line) : { raw: text };
    } catch {
      line = { raw: text };
    }
    this.lines.push(line);
    const index = this.lines.length - 1;
    for (const waiter of this.waiters) {
      if (index >= waiter.since && waiter.test(line)) {
        this.waiters.delete(waiter);
        waiter.resolve(line);
      }
    }
  }
}

/** A TCP port that was free a moment ago, for programs that cannot listen on port 0 and say which. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
