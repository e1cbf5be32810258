import { createServer, type Server } from 'node:net';

/** A port held by a listener of the test's own, so that a service told to listen there fails to start. */
export async function takePort(port: number): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return server;
}

/** Frees a port taken by `takePort`. */
export function freeTakenPort(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
