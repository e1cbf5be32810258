import type { Writable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { FleetChild, type ChildSpec } from './child.js';

/** Ports and sizes of a local fleet. */
export interface LocalFleetOptions {
  workers: number;
  apiPort: number;
  metricsPort: number;
  exporterPort: number;
  /** Each worker's metrics port, one per worker. */
  workerPorts: readonly number[];
  /** Environment every child gets on top of the parent's (e.g. LOG_LEVEL). */
  env?: Record<string, string>;
}

/** A child together with the URL that answers 200 once it is ready. */
interface Member {
  child: FleetChild;
  readyUrl: string;
}

/** How long a member may take to answer its readiness URL. */
const READY_TIMEOUT_MS = 30_000;
/** How long a member may take to drain and stop after SIGTERM (above the worker's drain timeout). */
const STOP_GRACE_MS = 40_000;

/** What each process of the local fleet is and where it says that it is ready. */
function fleetSpecs(options: LocalFleetOptions): { spec: ChildSpec; readyUrl: string }[] {
  const common: Record<string, string> = { ...options.env, INSIGHTS_API_HOST: '127.0.0.1', INSIGHTS_METRICS_HOST: '127.0.0.1' };
  const members: { spec: ChildSpec; readyUrl: string }[] = [
    {
      spec: { name: 'api', args: ['api'], env: { ...common, INSIGHTS_API_PORT: String(options.apiPort), INSIGHTS_METRICS_PORT: String(options.metricsPort) } },
      readyUrl: `http://127.0.0.1:${options.apiPort}/api/health/ready`,
    },
    {
      spec: {
        name: 'exporter',
        args: ['exporter'],
        env: { ...common, INSIGHTS_EXPORTER_HOST: '127.0.0.1', INSIGHTS_EXPORTER_PORT: String(options.exporterPort) },
      },
      readyUrl: `http://127.0.0.1:${options.exporterPort}/health`,
    },
  ];
  for (let i = 0; i < options.workers; i += 1) {
    const port = options.workerPorts[i]!;
    members.push({
      spec: { name: `worker-${i + 1}`, args: ['worker'], env: { ...common, WORKER_METRICS_HOST: '127.0.0.1', WORKER_METRICS_PORT: String(port) } },
      readyUrl: `http://127.0.0.1:${port}/health`,
    });
  }
  return members;
}

/** Raised when a member of the fleet ends or never becomes ready. */
export class FleetStartError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FleetStartError';
  }
}

/**
 * The API, the exporter and N workers as child processes of this one, with one prefixed log
 * stream. Started together, ready together, stopped together.
 */
export class LocalFleet {
  private readonly members: Member[];

  constructor(options: LocalFleetOptions, script: string, logs: Writable) {
    this.members = fleetSpecs(options).map(({ spec, readyUrl }) => ({ child: new FleetChild(spec, script, logs), readyUrl }));
  }

  /** Resolves once every member answers its readiness URL; rejects when one ends first or takes too long. */
  async ready(): Promise<void> {
    await Promise.all(this.members.map((member) => waitUntilReady(member)));
  }

  /** Resolves with the first member to end on its own (a crash, or a bad configuration). */
  async firstExit(): Promise<string> {
    return Promise.race(
      this.members.map(async ({ child }) => {
        const exit = await child.exited;
        return `${child.spec.name} exited (${exit.signal ?? `status ${exit.code}`})`;
      }),
    );
  }

  /** SIGTERM to every member; waits until all have drained and ended. */
  async stop(): Promise<void> {
    await Promise.all(this.members.map(({ child }) => child.stop(STOP_GRACE_MS)));
  }
}

async function waitUntilReady({ child, readyUrl }: Member): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let pause = 50;
  for (;;) {
    if (child.hasExited) {
      const exit = await child.exited;
      const tail = child.lastLines();
      const why = tail.length > 0 ? `; its last log lines:\n  ${tail.join('\n  ')}` : '';
      throw new FleetStartError(`${child.spec.name} exited (${exit.signal ?? `status ${exit.code}`}) before it was ready${why}`);
    }
    if (await answersOk(readyUrl)) return;
    if (Date.now() > deadline) throw new FleetStartError(`${child.spec.name} was not ready after ${READY_TIMEOUT_MS / 1000} s (${readyUrl})`);
    await delay(pause);
    pause = Math.min(pause * 2, 500);
  }
}

async function answersOk(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}
