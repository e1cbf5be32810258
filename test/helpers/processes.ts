import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { CLI } from './run-cli.js';

/** One output line of a process: parsed JSON (pino) when it is JSON, else the raw text. */
export type Line = Record<string, unknown> & { raw?: string; msg?: string };

/**
 * A long-running process of an end-to-end test (`insights api`, `insights exporter`,
 * `prometheus`, postgres_exporter) whose stdout and stderr are read line by line, so that a test
 * waits for the line that says it is ready rather than for a fixed time.
 */
export class LoggedProcess {
  readonly lines: Line[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private running = true;
  private readonly waiters = new Set<{ test(line: Line): boolean; resolve(line: Line): void; reject(error: Error): void }>();
  private readonly child: ChildProcess;

  constructor(
    readonly name: string,
    command: string,
    args: string[],
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [this.child.stdout!, this.child.stderr!]) createInterface({ input: stream }).on('line', (text) => this.receive(text));
    this.exited = new Promise((resolve) => {
      this.child.on('close', (code, signal) => {
        this.running = false;
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

  /** The last lines, for failure messages. */
  tail(count = 15): string {
    return this.lines
      .slice(-count)
      .map((line) => `    ${line.raw ?? JSON.stringify(line)}`)
      .join('\n');
  }

  /** The first line (already seen or to come) that passes `test`; fails after `timeoutMs` or on exit. */
  waitFor(test: (line: Line) => boolean, what: string, timeoutMs = 20_000): Promise<Line> {
    const seen = this.lines.find(test);
    if (seen) return Promise.resolve(seen);
    if (!this.running) return Promise.reject(new Error(`${this.name} has exited; it never logged ${what}\n${this.tail()}`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${this.name} to log ${what}\n${this.tail()}`));
      }, timeoutMs);
      const waiter = {
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

  /** Sends SIGTERM, then SIGKILL if the process is still there after `graceMs`; resolves once it is gone. */
  async stop(graceMs = 5_000): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Kills the process at once (a crash, as far as the rest of the fleet can tell). */
  async kill(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  private receive(text: string): void {
    if (text.trim() === '') return;
    let line: Line;
    try {
      const parsed: unknown = JSON.parse(text);
      line = typeof parsed === 'object' && parsed !== null ? (parsed as Line) : { raw: text };
    } catch {
      line = { raw: text };
    }
    this.lines.push(line);
    for (const waiter of this.waiters) {
      if (waiter.test(line)) {
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
