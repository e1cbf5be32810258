import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './processes.js';

/**
 * A redis-server of our own on a free port (nothing on disk), that a test may stop and start
 * again on the same port. Never the shared one on 6379.
 */
export class LocalRedis {
  private server: ChildProcess | undefined;
  port = 0;

  /** The running server's process id. */
  get pid(): number {
    if (!this.server?.pid) throw new Error('redis-server is not running');
    return this.server.pid;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server (on the same port as before, when restarted) and waits until it accepts connections. */
  async start(): Promise<void> {
    if (this.port === 0) this.port = await freePort();
    const server = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      let output = '';
      server.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        output += chunk;
        if (output.includes('Ready to accept connections')) resolve();
      });
      server.once('exit', (code) => reject(new Error(`redis-server on ${this.port} exited with ${code}: ${output.slice(-500)}`)));
    });
  }

  /** Stops the server and waits for it to be gone. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server || server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise((resolve) => server.once('exit', resolve));
    server.kill('SIGKILL');
    await exited;
  }
}
