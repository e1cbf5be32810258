import { EventEmitter } from 'node:events';
import { expect } from 'chai';
import { ConfigError } from './config.js';
import { runService, type ServiceProcess } from './run-service.js';

/** A process stand-in: signals to emit, stderr and the exit code to read. */
function fakeProcess(): ServiceProcess & { signals: EventEmitter; written: string[]; code: number | undefined; exited: boolean } {
  const host = {
    signals: new EventEmitter(),
    written: [] as string[],
    code: undefined as number | undefined,
    exited: false,
    stderr: { write: (text: string) => host.written.push(text) },
    setExitCode: (code: number) => {
      host.code = code;
    },
    exitSoon: () => {
      host.exited = true;
    },
  };
  return host;
}

const quiet = { LOG_LEVEL: 'silent' };

describe('runService', () => {
  it('exits 2 with every configuration problem, without starting', async () => {
    const host = fakeProcess();
    let started = false;
    await runService(
      {
        command: 'worker',
        load: () => {
          throw new ConfigError(['REDIS_URL: expected a URL', 'WORKER_THREADS: expected a whole number']);
        },
        start: async () => {
          started = true;
          return { stop: async () => undefined };
        },
      },
      host,
    );
    expect(started).to.equal(false);
    expect(host.code).to.equal(2);
    expect(host.written.join('')).to.equal('insights worker: invalid configuration:\n  REDIS_URL: expected a URL\n  WORKER_THREADS: expected a whole number\n');
  });

  it('exits 1 when the service cannot start', async () => {
    const host = fakeProcess();
    await runService({ command: 'api', load: () => quiet, start: () => Promise.reject(new Error('port taken')) }, host);
    expect(host.code).to.equal(1);
    expect(host.exited, 'leaves even if something half-started holds the event loop').to.equal(true);
  });

  it('stops once on the first SIGTERM or SIGINT and exits 0', async () => {
    const host = fakeProcess();
    let stops = 0;
    let stopped!: () => void;
    const done = new Promise<void>((resolve) => (stopped = resolve));
    await runService({ command: 'exporter', load: () => quiet, start: async () => ({ stop: async () => void ((stops += 1), stopped()) }) }, host);
    expect(host.code).to.equal(undefined);
    host.signals.emit('SIGTERM');
    host.signals.emit('SIGINT');
    await done;
    await new Promise((resolve) => setImmediate(resolve));
    expect(stops).to.equal(1);
    expect(host.code).to.equal(0);
    expect(host.exited).to.equal(true);
  });

  it('exits 1 when stopping fails', async () => {
    const host = fakeProcess();
    await runService({ command: 'responder', load: () => quiet, start: async () => ({ stop: () => Promise.reject(new Error('close failed')) }) }, host);
    host.signals.emit('SIGTERM');
    await new Promise((resolve) => setImmediate(resolve));
    expect(host.code).to.equal(1);
    expect(host.exited).to.equal(true);
  });
});
