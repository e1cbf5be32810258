import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { CLI, portFromEnv } from './services.ts';

/** A free TCP port on 127.0.0.1. */
async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * Starts `insights api` on INSIGHTS_API_PORT and INSIGHTS_METRICS_PORT when the environment sets
 * them, on free ports otherwise, and resolves once it answers /api/health/live. (With
 * LOG_LEVEL=warn it logs no 'api ready' line to wait for; polling is fine in a benchmark.)
 */
export async function startApi(env: NodeJS.ProcessEnv): Promise<{ port: number; metricsPort: number; pid: number; stop(): Promise<void> }> {
  const port = portFromEnv('INSIGHTS_API_PORT') ?? (await freePort());
  const metricsPort = portFromEnv('INSIGHTS_METRICS_PORT') ?? (await freePort());
  // Its stdout (the audit stream) is dropped: this document is the only thing on ours.
  const child = spawn(process.execPath, [CLI, 'api'], {
    env: { ...env, INSIGHTS_API_PORT: String(port), INSIGHTS_METRICS_PORT: String(metricsPort) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`insights api exited (${child.exitCode}) before it was ready`);
    const live = await fetch(`http://127.0.0.1:${port}/api/health/live`).then(
      (r) => r.ok,
      () => false,
    );
    if (live) break;
    if (Date.now() > deadline) throw new Error('insights api was not ready within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    port,
    metricsPort,
    pid: child.pid!,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
