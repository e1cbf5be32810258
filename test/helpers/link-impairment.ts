import { fileURLToPath } from 'node:url';
import type { Host } from './netns.js';
import type { LoggedProcess } from './processes.js';

const PROXY_MAIN = fileURLToPath(new URL('./delay-proxy-main.ts', import.meta.url));
/** First local port of the delay proxy's routes. */
const PROXY_PORT = 18_600;

/** A service a host reaches over the impaired link. */
export interface Target {
  host: string;
  port: number;
}

/**
 * Makes a host's link to some targets slow and lossy. This kernel has no netem, so: nftables drops
 * `lossPercent` of the packets each way between the host and the targets (numgen random), and the
 * host's new connections to the targets are redirected to a proxy on the host that holds each chunk
 * `oneWayMs` each way (a round trip `2 × oneWayMs` longer). The proxy connects from a second address
 * of the host, which the redirect leaves alone. Connections opened before stay unimpaired but for
 * the loss: start the processes under test afterwards.
 */
export async function impairLink(
  host: Host,
  targets: Target[],
  options: { oneWayMs: number; lossPercent: number; proxyAddress: string },
): Promise<LoggedProcess> {
  host.exec('ip', ['addr', 'add', `${options.proxyAddress}/24`, 'dev', 'eth0']);
  const routes = targets.map((target, i) => ({ listenPort: PROXY_PORT + i, ...target }));
  const proxy = host.spawn('delay proxy', process.execPath, [
    '--import',
    'tsx',
    PROXY_MAIN,
    JSON.stringify(routes),
    String(options.oneWayMs),
    options.proxyAddress,
  ]);
  await proxy.waitForLog({ msg: 'delay proxy ready' });
  const addresses = [...new Set(targets.map((t) => t.host))].join(', ');
  const redirects = routes.map((r) => `ip saddr != ${options.proxyAddress} ip daddr ${r.host} tcp dport ${r.port} redirect to :${r.listenPort}`).join('\n');
  const rules = `table inet impair {
  chain out { type filter hook output priority 0; oifname "eth0" ip daddr { ${addresses} } numgen random mod 100 < ${options.lossPercent} drop; }
  chain in { type filter hook input priority 0; iifname "eth0" ip saddr { ${addresses} } numgen random mod 100 < ${options.lossPercent} drop; }
  chain nat { type nat hook output priority -100;
${redirects}
  }
}
`;
  host.exec('nft', ['-f', '-'], rules);
  return proxy;
}
