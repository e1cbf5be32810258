import { spawnSync } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Host } from './netns.js';
import type { LoggedProcess } from './processes.js';
import { run } from './netns.js';

/** Port of the PostgreSQL of a multi-host test. */
const POSTGRES_PORT = 18_200;

/**
 * The path of a PostgreSQL server program (`initdb`, `postgres`): on PATH, or in the newest
 * `/usr/lib/postgresql/<version>/bin` (Debian installs them there, off PATH); undefined if neither.
 */
export function postgresBinary(name: string): string | undefined {
  const onPath = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return onPath;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const found = versions.map((v) => join(root, v, 'bin', name)).find((path) => existsSync(path));
  return found;
}

/** The uid and gid of the `postgres` account, which the server must run as (it refuses root). */
function postgresAccount(): { uid: number; gid: number } {
  return { uid: Number(run('id', ['-u', 'postgres'])), gid: Number(run('id', ['-g', 'postgres'])) };
}

/**
 * A PostgreSQL cluster of its own on one host: `initdb` into a temporary folder owned by the
 * `postgres` account, then `postgres` listening on the host's address only (trust auth, no fsync:
 * nothing here must outlive the test). Never the machine's shared server.
 */
export class NetnsPostgres {
  private readonly dir = mkdtempSync(join(tmpdir(), 'insights-netns-pg-'));
  private server: LoggedProcess | undefined;

  constructor(readonly host: Host) {}

  /** DATABASE_URL of the `postgres` database. */
  get url(): string {
    return `postgres://postgres@${this.host.address}:${POSTGRES_PORT}/postgres`;
  }

  async start(): Promise<void> {
    const { uid, gid } = postgresAccount();
    chownSync(this.dir, uid, gid);
    const data = join(this.dir, 'data');
    const initdb = spawnSync(
      'setpriv',
      [
        '--reuid=postgres',
        '--regid=postgres',
        '--init-groups',
        postgresBinary('initdb')!,
        '-D',
        data,
        '-A',
        'trust',
        '-U',
        'postgres',
        '--no-sync',
        '-E',
        'UTF8',
      ],
      {
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    if (initdb.status !== 0) throw new Error(`initdb failed: ${initdb.stderr}${initdb.stdout}`);
    // Trust is only for the hosts of this private network: the server listens on nothing else.
    appendFileSync(join(data, 'pg_hba.conf'), 'host all all 10.218.0.0/16 trust\n');
    this.server = this.host.spawn('postgres', 'setpriv', [
      '--reuid=postgres',
      '--regid=postgres',
      '--init-groups',
      postgresBinary('postgres')!,
      '-D',
      data,
      '-p',
      String(POSTGRES_PORT),
      '-h',
      this.host.address,
      '-k',
      this.dir,
      '-c',
      'fsync=off',
      '-c',
      'synchronous_commit=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=100',
      '-c',
      'shared_buffers=32MB',
    ]);
    await this.server.waitFor(
      (line) => typeof line.raw === 'string' && line.raw.includes('database system is ready to accept connections'),
      'ready to accept connections',
      { timeoutMs: 30_000 },
    );
  }

  /** Stops the server at once and removes its files. */
  async stop(): Promise<void> {
    await this.server?.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
