import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** One forwarded address: a local port that stands for `host:port`. */
export interface DelayRoute {
  listenPort: number;
  host: string;
  port: number;
}

/** Forwards every chunk after `delayMs`, in order (timers of one duration fire in the order set). */
function delayed(from: Socket, to: Socket, delayMs: number): void {
  from.on('data', (chunk: Buffer) => {
    setTimeout(() => {
      if (!to.destroyed) to.write(chunk);
    }, delayMs);
  });
  from.on('end', () => setTimeout(() => to.end(), delayMs));
}

/**
 * A TCP proxy that adds latency: each route listens on 127.0.0.1 and forwards to its target from
 * `sourceAddress`, holding every chunk `oneWayMs` in each direction. Run on a host whose
 * connections to the targets are redirected to it (nftables), it stands in for a slow link where
 * the kernel cannot delay packets itself (no netem).
 */
export async function startDelayProxy(routes: DelayRoute[], oneWayMs: number, sourceAddress: string): Promise<Server[]> {
  return Promise.all(
    routes.map(
      (route) =>
        new Promise<Server>((resolve, reject) => {
          const server = createServer((client) => {
            const upstream = createConnection({ host: route.host, port: route.port, localAddress: sourceAddress });
            for (const socket of [client, upstream]) socket.on('error', () => (socket === client ? upstream : client).destroy());
            client.on('close', () => upstream.destroy());
            upstream.on('close', () => client.destroy());
            delayed(client, upstream, oneWayMs);
            delayed(upstream, client, oneWayMs);
          });
          server.once('error', reject);
          server.listen(route.listenPort, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
}
