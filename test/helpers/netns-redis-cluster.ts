import { Cluster } from 'ioredis';
import { CLUSTER_SLOTS_REFRESH_MS } from '@insights/runtime';
import type { Host } from './netns.js';
import type { LoggedProcess } from './processes.js';
import { tempFolder } from './temp-files.js';

/** Port of the master on each Redis host; its replica of another host's master listens on the next one. */
export const MASTER_PORT = 18_100;
const REPLICA_PORT = MASTER_PORT + 1;
/** How long a master may be silent before the others fail it over (ms): short, so a test waits little. */
const NODE_TIMEOUT_MS = 2_000;

/** One redis-server of the cluster. */
export interface ClusterNode {
  host: Host;
  port: number;
  process: LoggedProcess;
  id: string;
}

/**
 * A Redis Cluster across hosts: on each of three hosts a master, and a replica of the previous
 * host's master, so that losing any one host leaves a replica of its master on another. Cluster
 * bus and clients use the hosts' own addresses; nothing is kept on disk.
 */
export class NetnsRedisCluster {
  readonly nodes: ClusterNode[] = [];
  private readonly folder = tempFolder('netns-redis');

  constructor(readonly hosts: Host[]) {}

  /** Seed URLs of the masters as REDIS_URL takes them (comma-separated). */
  get url(): string {
    return this.hosts.map((host) => `redis://${host.address}:${MASTER_PORT}`).join(',');
  }

  async start(): Promise<void> {
    for (const host of this.hosts) {
      for (const port of [MASTER_PORT, REPLICA_PORT]) {
        const process = host.spawn(`redis ${port}`, 'redis-server', [
          '--port',
          String(port),
          '--bind',
          host.address,
          '--protected-mode',
          'no',
          '--cluster-enabled',
          'yes',
          '--cluster-node-timeout',
          String(NODE_TIMEOUT_MS),
          '--cluster-config-file',
          `nodes-${host.name}-${port}.conf`,
          '--dir',
          this.folder.dir,
          '--save',
          '',
          '--appendonly',
          'no',
        ]);
        await process.waitFor((line) => typeof line.raw === 'string' && line.raw.includes('Ready to accept connections'), 'Ready to accept connections');
        this.nodes.push({ host, port, process, id: host.exec('redis-cli', ['-h', host.address, '-p', String(port), 'cluster', 'myid']).trim() });
      }
    }
    const [first] = this.hosts;
    first!.exec('redis-cli', ['--cluster', 'create', ...this.hosts.map((h) => `${h.address}:${MASTER_PORT}`), '--cluster-replicas', '0', '--cluster-yes']);
    for (let i = 0; i < this.hosts.length; i++) {
      const master = this.node(this.hosts[i]!, MASTER_PORT);
      const replicaHost = this.hosts[(i + 1) % this.hosts.length]!;
      replicaHost.exec('redis-cli', ['-h', replicaHost.address, '-p', String(REPLICA_PORT), 'cluster', 'meet', master.host.address, String(MASTER_PORT)]);
      await this.until(() => this.knows(replicaHost, REPLICA_PORT, master.id), `${replicaHost.name}:${REPLICA_PORT} to learn of ${master.host.name}'s master`);
      replicaHost.exec('redis-cli', ['-h', replicaHost.address, '-p', String(REPLICA_PORT), 'cluster', 'replicate', master.id]);
    }
    await this.until(
      () => this.nodes.every((n) => this.info(n).includes('cluster_state:ok')) && this.replicasInSync(),
      'the cluster to be ok with every replica in sync',
    );
  }

  /** The node at this host and port. */
  node(host: Host, port: number): ClusterNode {
    const node = this.nodes.find((n) => n.host === host && n.port === port);
    if (!node) throw new Error(`no Redis node ${host.name}:${port}`);
    return node;
  }

  /** The master node that serves a key now, as the surviving nodes see it. */
  masterOf(key: string, asSeenBy: ClusterNode = this.nodes[0]!): ClusterNode {
    const cli = (...args: string[]) => asSeenBy.host.exec('redis-cli', ['-h', asSeenBy.host.address, '-p', String(asSeenBy.port), ...args]).trim();
    const slot = Number(cli('cluster', 'keyslot', key));
    for (const line of cli('cluster', 'nodes').split('\n')) {
      const [id, , flags, , , , , , ...ranges] = line.split(' ');
      if (!flags?.includes('master') || flags.includes('fail')) continue;
      for (const range of ranges) {
        const [from, to = from] = range.split('-').map(Number);
        if (slot >= from! && slot <= to!) return this.nodes.find((n) => n.id === id)!;
      }
    }
    throw new Error(`no master serves slot ${slot}`);
  }

  /** The replica of a master. */
  replicaOf(master: ClusterNode): ClusterNode {
    const index = this.hosts.indexOf(master.host);
    return this.node(this.hosts[(index + 1) % this.hosts.length]!, REPLICA_PORT);
  }

  /** A cluster client from the test process, with the options BullMQ needs. */
  client(): Cluster {
    return new Cluster(
      this.hosts.map((host) => ({ host: host.address, port: MASTER_PORT })),
      // As the services' clients do (connectRedis): a failover behind a vanished host is learnt from the slot map.
      { redisOptions: { maxRetriesPerRequest: null }, slotsRefreshInterval: CLUSTER_SLOTS_REFRESH_MS },
    );
  }

  /** `CLUSTER INFO` of a node (empty when it does not answer). */
  info(node: ClusterNode): string {
    try {
      return node.host.exec('redis-cli', ['-h', node.host.address, '-p', String(node.port), 'cluster', 'info']);
    } catch {
      return '';
    }
  }

  /** `INFO replication` of a node. */
  replication(node: ClusterNode): string {
    return node.host.exec('redis-cli', ['-h', node.host.address, '-p', String(node.port), 'info', 'replication']);
  }

  /** Waits (bounded by time, polling) until a condition that no event announces holds. */
  async until(check: () => boolean, what: string, timeoutMs = 30_000): Promise<number> {
    const started = Date.now();
    while (!check()) {
      if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return Date.now() - started;
  }

  private knows(host: Host, port: number, id: string): boolean {
    return host.exec('redis-cli', ['-h', host.address, '-p', String(port), 'cluster', 'nodes']).includes(id);
  }

  private replicasInSync(): boolean {
    return this.nodes.filter((n) => n.port === REPLICA_PORT).every((n) => /master_link_status:up/.test(this.replication(n)));
  }

  /** Stops every node and removes their files. */
  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.process.kill()));
    this.folder.cleanup();
  }
}
