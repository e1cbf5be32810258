import { createServer, type Server } from 'node:net';

/** The host every member of the local fleet listens on. */
const HOST = '127.0.0.1';

/** One port the local fleet needs: what it is for, the flag that sets it, and its usual number. */
export interface PortRequest {
  /** What listens there, e.g. `API` or `worker-2 /metrics`. */
  role: string;
  /** The flag that sets it, for the message when it is taken, e.g. `--api-port`. */
  flag: string;
  /** The port the user gave, if any: it must be free. */
  given?: number;
  /** The port used when none was given and it is free; otherwise the system picks one. */
  preferred: number;
}

/** A port chosen for a role, and whether it had to move off its usual number. */
export interface ChosenPort {
  role: string;
  port: number;
  /** The usual port that was taken, when the system picked another. */
  movedFrom?: number;
}

/** Raised when a port given on the command line is taken, or given twice. */
export class PortsTakenError extends Error {
  constructor(readonly problems: string[]) {
    super(`cannot start the fleet:\n  ${problems.join('\n  ')}`);
    this.name = 'PortsTakenError';
  }
}

/**
 * Chooses a port for each request, checking each by listening on it: a given port must be free
 * (another fleet on it would otherwise answer in this one's place), a port not given is the
 * usual one when free and one the system picks when not. Every port is held until all are chosen,
 * so that no two roles get the same one; a process may still take one between this check and the
 * member's own listen, which then fails and says so.
 *
 * @throws {PortsTakenError} listing every given port that is taken or given twice
 */
export async function choosePorts(requests: readonly PortRequest[]): Promise<ChosenPort[]> {
  const held: Server[] = [];
  const problems: string[] = [];
  const chosen: ChosenPort[] = [];
  const seen = new Map<number, string>();
  try {
    for (const request of requests) {
      if (request.given !== undefined) {
        const twice = seen.get(request.given);
        if (twice !== undefined) {
          problems.push(`port ${request.given} is given for both ${twice} and ${request.role} (${request.flag})`);
          continue;
        }
        seen.set(request.given, request.role);
        const server = await listenOn(request.given);
        if (server === undefined)
          problems.push(`port ${request.given} for ${request.role} (${request.flag}) is taken: stop what listens there or give another port`);
        else held.push(server);
        chosen.push({ role: request.role, port: request.given });
        continue;
      }
      const usual = seen.has(request.preferred) ? undefined : await listenOn(request.preferred);
      const server = usual ?? (await listenOn(0));
      if (server === undefined) throw new Error('the system gave no free port');
      held.push(server);
      const port = (server.address() as { port: number }).port;
      seen.set(port, request.role);
      chosen.push({ role: request.role, port, ...(usual === undefined ? { movedFrom: request.preferred } : {}) });
    }
  } finally {
    await Promise.all(held.map((server) => new Promise((resolve) => server.close(resolve))));
  }
  if (problems.length > 0) throw new PortsTakenError(problems);
  return chosen;
}

/** A server listening on `port` (0: any free port), or undefined when the port is taken or not ours to use. */
function listenOn(port: number): Promise<Server | undefined> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve(undefined);
      else reject(error);
    });
    server.listen({ port, host: HOST, exclusive: true }, () => resolve(server));
  });
}
