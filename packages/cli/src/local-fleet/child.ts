import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Writable } from 'node:stream';

/** One process of the local fleet: an `insights` subcommand with its own environment. */
export interface ChildSpec {
  /** Name shown in front of each of its log lines, e.g. `api` or `worker-2`. */
  name: string;
  /** Arguments after the `insights` script, e.g. `['worker']`. */
  args: string[];
  /** Environment variables set on top of the parent's. */
  env: Record<string, string>;
}

/** How a child ended. */
export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** How many of its last log lines a child keeps, to say why it ended when its log goes to a file. */
const TAIL_LINES = 8;

/** A running child process whose output is copied, line by line and prefixed, to one stream. */
export class FleetChild {
  readonly exited: Promise<ChildExit>;
  private readonly process: ChildProcess;
  private ended = false;
  private readonly tail: string[] = [];

  constructor(
    readonly spec: ChildSpec,
    script: string,
    logs: Writable,
  ) {
    this.process = spawn(process.execPath, [script, ...spec.args], {
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const prefix = `[${spec.name}] `;
    for (const stream of [this.process.stdout, this.process.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        logs.write(`${prefix}${line}\n`);
        this.tail.push(line);
        if (this.tail.length > TAIL_LINES) this.tail.shift();
      });
    }
    this.exited = new Promise((resolve) => {
      this.process.once('exit', (code, signal) => {
        this.ended = true;
        resolve({ code, signal });
      });
      this.process.once('error', (error) => {
        logs.write(`${prefix}could not start: ${error.message}\n`);
        this.ended = true;
        resolve({ code: 1, signal: null });
      });
    });
  }

  /** Its last few log lines, oldest first. */
  lastLines(): readonly string[] {
    return [...this.tail];
  }

  /** Whether the process has ended. */
  get hasExited(): boolean {
    return this.ended;
  }

  /**
   * Asks the process to stop (SIGTERM: drain and exit) and waits for it; kills it when it has not
   * ended after `graceMs`.
   */
  async stop(graceMs: number): Promise<ChildExit> {
    if (!this.ended) this.process.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const killed = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        if (!this.ended) this.process.kill('SIGKILL');
        resolve();
      }, graceMs);
    });
    await Promise.race([this.exited, killed]);
    clearTimeout(timer);
    return this.exited;
  }
}
