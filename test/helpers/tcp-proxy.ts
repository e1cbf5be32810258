import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of a real service, that a test can take down and bring back
 * on the same port: the service stays up for everyone else while the process under test sees it
 * vanish (connections reset, new ones refused) and return.
 */
export class TcpProxy {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private readonly clients = new Set<Socket>();
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  /** Starts listening (on a free port the first time, on the same port again after `down`). */
  async up(): Promise<void> {
    const server = createServer((client) => {
      const upstream = createConnection({ host: this.targetHost, port: this.targetPort });
      this.clients.add(client);
      client.on('close', () => this.clients.delete(client));
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (typeof address === 'object' && address) this.port = address.port;
    this.server = server;
  }

  /** Connections open through the proxy now (what a process under test holds to the service). */
  get connections(): number {
    return this.clients.size;
  }

  /** Refuses new connections and resets every open one. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/**
 * Registers mocha hooks for a fleet whose worker reaches one service (`targetPort` on 127.0.0.1)
 * through a TcpProxy the test can take down: the fleet is set up and the proxy started before the
 * tests, the fleet reset after each, both torn down at the end.
 */
export function proxiedFleet<F extends { setUp(): Promise<void>; reset(): Promise<void>; tearDown(): Promise<void> }>(fleet: F, targetPort: number): TcpProxy {
  const proxy = new TcpProxy('127.0.0.1', targetPort);
  before(async () => {
    await fleet.setUp();
    await proxy.up();
  });
  afterEach(() => fleet.reset());
  after(async () => {
    await proxy.down();
    await fleet.tearDown();
  });
  return proxy;
}
