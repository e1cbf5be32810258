import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Exit } from '../helpers/fleet.js';

const WAIT_MS = 20_000;

/** One output line of a process: its text, and the object when the line is JSON. */
export interface OutputLine {
  stream: 'stdout' | 'stderr';
  text: string;
  json?: Record<string, unknown>;
}

/**
 * A child process whose stdout and stderr are read line by line (JSON lines parsed). Waits are
 * event-driven — the next matching line — each with a timeout whose error shows the last lines.
 */
export class LineProcess {
  readonly lines: OutputLine[] = [];
  readonly exited: Promise<Exit>;
  private exit: Exit | undefined;
  private readonly child: ChildProcess;
  private readonly waiters = new Set<{ test(line: OutputLine): boolean; resolve(line: OutputLine): void; reject(error: Error): void }>();

  constructor(
    readonly name: string,
    command: string,
    args: string[],
    env: NodeJS.ProcessEnv,
  ) {
    this.child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    createInterface({ input: this.child.stdout! }).on('line', (text) => this.receive('stdout', text));
    createInterface({ input: this.child.stderr! }).on('line', (text) => this.receive('stderr', text));
    this.exited = new Promise((resolve) => {
      this.child.on('close', (code, signal) => {
        this.exit = { code, signal };
        for (const waiter of this.waiters) waiter.reject(new Error(`${name} exited (${code ?? signal}) first\n${this.tail()}`));
        this.waiters.clear();
        resolve(this.exit);
      });
    });
    this.child.on('error', (error) => {
      for (const waiter of this.waiters) waiter.reject(error);
    });
  }

  /** The first line `test` accepts from index `since` on: one already printed, or the next. */
  waitFor(test: (line: OutputLine) => boolean, what: string, since = 0, timeoutMs = WAIT_MS): Promise<OutputLine> {
    const seen = this.lines.slice(since).find(test);
    if (seen) return Promise.resolve(seen);
    if (this.exit) return Promise.reject(new Error(`${this.name} has exited; it never printed ${what}\n${this.tail()}`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${this.name} to print ${what}\n${this.tail()}`));
      }, timeoutMs);
      const waiter = {
        test,
        resolve: (line: OutputLine) => {
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

  /** Waits for a JSON line whose `msg` and other fields match. */
  waitForLog(fields: Record<string, unknown>, since = 0, timeoutMs = WAIT_MS): Promise<Record<string, unknown>> {
    const test = (line: OutputLine) => line.json !== undefined && Object.entries(fields).every(([key, value]) => line.json![key] === value);
    return this.waitFor(test, JSON.stringify(fields), since, timeoutMs).then((line) => line.json!);
  }

  /** Sends a signal and waits for the exit, bounded. */
  async terminate(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = WAIT_MS): Promise<Exit> {
    if (!this.exit) this.child.kill(signal);
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([
      this.exited,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${this.name} did not exit within ${timeoutMs} ms\n${this.tail()}`)), timeoutMs);
      }),
    ]).finally(() => clearTimeout(timer));
  }

  /** Kills the process if it still runs. */
  async stop(): Promise<void> {
    if (!this.exit) this.child.kill('SIGKILL');
    await this.exited;
  }

  tail(): string {
    return `  last lines of ${this.name}:\n${this.lines.slice(-20).map((line) => `    [${line.stream}] ${line.text}`).join('\n') || '    (none)'}`;
  }

  private receive(stream: OutputLine['stream'], text: string): void {
    if (text.trim() === '') return;
    const line: OutputLine = { stream, text };
    if (text.startsWith('{')) {
      try {
        line.json = JSON.parse(text) as Record<string, unknown>;
      } catch {
        // not JSON after all: kept as text
      }
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
