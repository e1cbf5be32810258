import { spawnSync } from 'node:child_process';
import { LoggedProcess } from './processes.js';

/** Runs a command (with `input` on its standard input), failing with its output when it exits non-zero. */
export function run(command: string, args: string[], input?: string): string {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 20_000, input });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal}): ${result.stderr}${result.stdout}`);
  return result.stdout;
}

/** Runs a command and ignores how it ends (cleanup of what may already be gone). */
function tryRun(command: string, args: string[]): void {
  spawnSync(command, args, { encoding: 'utf8', timeout: 20_000 });
}

/**
 * Why network namespaces cannot be used here, or undefined when they can: they need root, `ip`
 * (iproute2), `nft` (nftables, for loss and redirects), redis-server and `setpriv`.
 */
export function netnsUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'network namespaces need Linux';
  if (process.getuid?.() !== 0) return 'network namespaces need root';
  for (const tool of ['ip', 'nft', 'redis-server', 'redis-cli', 'setpriv']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed`;
  }
  const probe = `ocimh${process.pid}-probe`;
  const added = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  if (added.status !== 0) return `ip netns add failed: ${added.stderr.trim()}`;
  tryRun('ip', ['netns', 'del', probe]);
  return undefined;
}

/** Namespaces left by runs of this suite whose process is gone (a run killed before its cleanup). */
function staleNamespaces(): string[] {
  const names = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .stdout.split('\n')
    .map((line) => line.split(' ')[0]!);
  return names.filter((name) => {
    const match = /^ocimh(\d+)-/.exec(name);
    if (!match) return false;
    try {
      process.kill(Number(match[1]), 0);
      return false;
    } catch {
      return true;
    }
  });
}

/** Kills every process inside a namespace and deletes it. */
function removeNamespace(name: string): void {
  const pids = spawnSync('ip', ['netns', 'pids', name], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  for (const pid of pids) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // already gone
    }
  }
  tryRun('ip', ['netns', 'del', name]);
}

/** One host: a network namespace with one interface (`eth0`) on the network's bridge. */
export class Host {
  private readonly processes: LoggedProcess[] = [];

  constructor(
    readonly name: string,
    readonly namespace: string,
    readonly address: string,
    /** The bridge port of this host's link, in the switch namespace. */
    readonly port: string,
  ) {}

  /** Runs a command on this host (with `input` on its standard input) and returns its output. */
  exec(command: string, args: string[], input?: string): string {
    return run('ip', ['netns', 'exec', this.namespace, command, ...args], input);
  }

  /**
   * Starts a long-running process on this host (`ip netns exec` execs the command in place, so
   * signals reach it directly).
   */
  spawn(label: string, command: string, args: string[], env: NodeJS.ProcessEnv = process.env): LoggedProcess {
    const child = new LoggedProcess(`${label} on ${this.name}`, 'ip', ['netns', 'exec', this.namespace, command, ...args], env);
    this.processes.push(child);
    return child;
  }

  /** Kills every process started on this host (a crash of the machine, as the others see it). */
  async killAll(): Promise<void> {
    await Promise.all(this.processes.map((p) => p.kill()));
  }
}

/**
 * Hosts on one machine: each a network namespace with its own address in a /24 of 10.218.0.0/16,
 * joined by veth pairs to a bridge that lives in a namespace of its own (the switch). The test
 * process reaches them through one more veth whose root end holds the .254 address: nothing is
 * routed anywhere else, and no namespace has a default route. `destroy()` (also run on exit)
 * kills every process inside and deletes the namespaces, and with them every link.
 */
export class Network {
  readonly prefix = `ocimh${process.pid}`;
  readonly hosts = new Map<string, Host>();
  /** Third octet of this network's /24, free in the root namespace's routes when created. */
  octet = 0;
  private readonly switchNs = `${this.prefix}-sw`;
  private readonly onExit = () => this.destroy();

  /** The address of host number `index` (1–200). */
  address(index: number): string {
    return `10.218.${this.octet}.${index}`;
  }

  /** The switch, and the test process's link to it. */
  create(): void {
    for (const stale of staleNamespaces()) removeNamespace(stale);
    const routes = run('ip', ['-4', 'route', 'show']);
    for (let i = 0; i < 250 && this.octet === 0; i++) {
      const candidate = 1 + ((process.pid + i) % 250);
      if (!routes.includes(`10.218.${candidate}.`)) this.octet = candidate;
    }
    if (this.octet === 0) throw new Error('no free /24 in 10.218.0.0/16');
    process.once('exit', this.onExit);
    run('ip', ['netns', 'add', this.switchNs]);
    run('ip', ['-n', this.switchNs, 'link', 'add', 'br0', 'type', 'bridge']);
    run('ip', ['-n', this.switchNs, 'link', 'set', 'br0', 'up']);
    run('ip', ['link', 'add', this.prefix, 'type', 'veth', 'peer', 'name', 'ctl', 'netns', this.switchNs]);
    run('ip', ['-n', this.switchNs, 'link', 'set', 'ctl', 'master', 'br0', 'up']);
    run('ip', ['addr', 'add', `${this.address(254)}/24`, 'dev', this.prefix]);
    run('ip', ['link', 'set', this.prefix, 'up']);
  }

  /** A new host with the address `.index`. */
  addHost(name: string, index: number): Host {
    const namespace = `${this.prefix}-${name}`;
    const port = `h${index}`;
    run('ip', ['netns', 'add', namespace]);
    run('ip', ['-n', namespace, 'link', 'set', 'lo', 'up']);
    run('ip', ['-n', namespace, 'link', 'add', 'eth0', 'type', 'veth', 'peer', 'name', port, 'netns', this.switchNs]);
    run('ip', ['-n', this.switchNs, 'link', 'set', port, 'master', 'br0', 'up']);
    run('ip', ['-n', namespace, 'addr', 'add', `${this.address(index)}/24`, 'dev', 'eth0']);
    run('ip', ['-n', namespace, 'link', 'set', 'eth0', 'up']);
    const host = new Host(name, namespace, this.address(index), port);
    this.hosts.set(name, host);
    return host;
  }

  /** The named host. */
  host(name: string): Host {
    const host = this.hosts.get(name);
    if (!host) throw new Error(`no host ${name}`);
    return host;
  }

  /** Cuts a host off (its link on the switch goes down): packets to and from it are dropped, nothing is refused. */
  cut(host: Host): void {
    run('ip', ['-n', this.switchNs, 'link', 'set', host.port, 'down']);
  }

  /** Brings a cut host's link back. */
  heal(host: Host): void {
    run('ip', ['-n', this.switchNs, 'link', 'set', host.port, 'up']);
  }

  /** Kills every process on every host and deletes every namespace and link; safe to call twice. */
  destroy(): void {
    process.removeListener('exit', this.onExit);
    for (const host of this.hosts.values()) removeNamespace(host.namespace);
    this.hosts.clear();
    removeNamespace(this.switchNs);
    tryRun('ip', ['link', 'del', this.prefix]);
  }
}
