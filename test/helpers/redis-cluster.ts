import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Cluster } from 'ioredis';
import { tempFolder } from './temp-files.js';

/** Whether a TCP port on 127.0.0.1 is free right now. */
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A port in 20000–29999 that is free, and whose cluster bus port (+10000) is free too. */
async function clusterPort(taken: number[]): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 10_000);
    if (!taken.includes(port) && (await isFree(port)) && (await isFree(port + 10_000))) return port;
  }
}

/**
 * A three-node Redis Cluster of our own on 127.0.0.1 (three `redis-server --cluster-enabled yes`,
 * joined with `redis-cli --cluster create`), with nothing kept on disk, stopped by `stop()`.
 */
export class LocalRedisCluster {
  readonly ports: number[] = [];
  private readonly servers: ChildProcess[] = [];
  private readonly folder = tempFolder('redis-cluster');

  /** `redis://` URLs of the nodes, comma-separated, as REDIS_URL takes them. */
  get url(): string {
    return this.ports.map((port) => `redis://127.0.0.1:${port}`).join(',');
  }

  async start(): Promise<void> {
    for (let i = 0; i < 3; i++) this.ports.push(await clusterPort(this.ports));
    for (const port of this.ports) {
      const server = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          `nodes-${port}.conf`,
          '--save',
          '',
          '--appendonly',
          'no',
          '--dir',
          this.folder.dir,
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      this.servers.push(server);
      await new Promise<void>((resolve, reject) => {
        let output = '';
        server.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
          output += chunk;
          if (output.includes('Ready to accept connections')) resolve();
        });
        server.once('exit', (code) => reject(new Error(`redis-server on ${port} exited with ${code}: ${output.slice(-500)}`)));
      });
    }
    const created = spawnSync('redis-cli', ['--cluster', 'create', ...this.ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'], {
      encoding: 'utf8',
    });
    if (created.status !== 0) throw new Error(`redis-cli --cluster create failed: ${created.stdout}${created.stderr}`);
    await this.waitUntilReady();
  }

  /** A cluster client with the options BullMQ needs. */
  client(): Cluster {
    return new Cluster(
      this.ports.map((port) => ({ host: '127.0.0.1', port })),
      { redisOptions: { maxRetriesPerRequest: null } },
    );
  }

  /** Waits until every node reports the cluster healthy (slots assigned, gossip settled). */
  private async waitUntilReady(): Promise<void> {
    const deadline = Date.now() + 20_000;
    for (const port of this.ports) {
      for (;;) {
        const info = spawnSync('redis-cli', ['-p', String(port), 'cluster', 'info'], { encoding: 'utf8' }).stdout;
        if (info.includes('cluster_state:ok')) break;
        if (Date.now() > deadline) throw new Error(`node ${port} never reported cluster_state:ok:\n${info}`);
        spawnSync('redis-cli', ['-p', String(port), 'ping']);
      }
    }
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.servers.map(
        (server) =>
          new Promise((resolve) => {
            if (server.exitCode !== null) return resolve(undefined);
            server.once('exit', resolve);
            server.kill('SIGTERM');
          }),
      ),
    );
    this.folder.cleanup();
  }
}
