import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError, type Command } from 'commander';
import { METHODS } from '@insights/core';
import { UsageError } from '../errors.js';
import { readInput, formatOf } from '../read-input.js';
import { FleetStartError, LocalFleet } from '../local-fleet/fleet.js';
import { choosePorts, PortsTakenError, type ChosenPort } from '../local-fleet/ports.js';
import { ApiRequestError, formTeamsThroughApi, type ApiDataSet } from '../local-fleet/submit-through-api.js';
import { connectToFleet, type FleetConnections } from './services.js';
import { renderTeams, type TeamsOutput } from './teams.js';

const SCRIPT = fileURLToPath(new URL('../../bin/insights.js', import.meta.url));
const LOCAL_ORG = 'local';
/** The usual ports, used when not given and free. */
const USUAL_PORTS = { api: 8000, metrics: 9090, exporter: 9464, worker: 9465 } as const;

interface LocalFleetFlags {
  workers: number;
  submit?: string;
  teamSize?: string;
  teams?: string;
  method?: string;
  clusters?: string;
  seed?: string;
  format: 'table' | 'json';
  keepRunning?: boolean;
  verbose?: boolean;
  logFile?: string;
  apiPort?: number;
  metricsPort?: number;
  exporterPort?: number;
  workerPort?: number;
}

/** The ports the fleet runs on. */
interface FleetPorts {
  apiPort: number;
  metricsPort: number;
  exporterPort: number;
  workerPorts: number[];
}

/** `insights fleet`: the API, the exporter and N workers on this machine, for local use. */
export function registerLocalFleetCommand(program: Command): void {
  program
    .command('fleet')
    .description('run the API, the exporter and N workers as child processes against local Redis and PostgreSQL; Ctrl-C stops them all')
    .option('--workers <n>', 'worker processes', positiveInteger, 2)
    .option('--submit <file>', 'submit this CSV or JSON file through the API as a team formation, print clusters and teams, then stop (unless --keep-running)')
    .option('--team-size <min-max>', 'with --submit: people per team, e.g. 5-7')
    .option('--teams <n>', 'with --submit: number of teams')
    .option('--method <method>', `with --submit: ${METHODS.slice(0, -1).join(', ')} or ${METHODS.at(-1)}`)
    .option('--clusters <k>', 'with --submit: number of clusters, or auto')
    .option('--seed <n>', 'with --submit: seed of every random choice')
    .option('--format <format>', 'with --submit: table or json', 'table')
    .option('--keep-running', 'with --submit: keep the fleet running after printing the result')
    .option('--verbose', "show the members' log lines here instead of writing them to the log file")
    .option('--log-file <path>', "where the members' log lines go (default: a new file in the system's temporary directory)")
    .option('--api-port <port>', `API port (must be free; default ${USUAL_PORTS.api}, or a free one when that is taken)`, port)
    .option('--metrics-port <port>', `the API's internal /metrics port (default ${USUAL_PORTS.metrics}, or a free one)`, port)
    .option('--exporter-port <port>', `the exporter's port (default ${USUAL_PORTS.exporter}, or a free one)`, port)
    .option('--worker-port <port>', `the first worker's /metrics port, worker i using this + i (default ${USUAL_PORTS.worker} + i, or free ones)`, port)
    .action(runLocalFleet);
}

async function runLocalFleet(flags: LocalFleetFlags): Promise<void> {
  if (flags.format !== 'table' && flags.format !== 'json') throw new UsageError(`--format: expected table or json, got ${flags.format}`);
  const query = flags.submit ? submissionQuery(flags) : undefined;
  const data = flags.submit ? dataSetOf(flags.submit, await readInput(flags.submit)) : undefined;
  const ports = await portsOf(flags);
  const connections = await connectOrExplain(flags.submit);
  let revoke: () => Promise<void> = async () => undefined;
  let fleet: LocalFleet | undefined;
  let logFile: WriteStream | undefined;
  try {
    await connections.store.migrate();
    // Loaded here, not at the top: `insights --help` lists this command without loading pg.
    const { issueLocalToken } = await import('../local-fleet/local-token.js');
    const token = await issueLocalToken(connections.store, LOCAL_ORG);
    revoke = token.revoke;
    if (flags.verbose !== true) {
      const path = flags.logFile ?? join(tmpdir(), `insights-fleet-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}.log`);
      logFile = await openLog(path);
      process.stderr.write(`fleet logs: ${path} (--verbose shows them here)\n`);
    }
    fleet = new LocalFleet({ workers: flags.workers, ...ports }, SCRIPT, logFile ?? process.stderr);
    const stopRequested = signalled();
    const unlessStopped = <T>(work: Promise<T>, what: string) =>
      Promise.race([work, stopRequested.then((signal) => Promise.reject(new UsageError(`${signal}: stopped ${what}`)))]);
    await unlessStopped(fleet.ready(), 'before the fleet was ready');
    const api = { baseUrl: `http://127.0.0.1:${ports.apiPort}`, token: token.secret };
    process.stderr.write(
      `fleet ready: API ${api.baseUrl} (organisation ${LOCAL_ORG}), /metrics on :${ports.metricsPort}, exporter on :${ports.exporterPort}, ${flags.workers} worker(s) (/metrics on :${ports.workerPorts.join(', :')})\n`,
    );
    if (data !== undefined && query !== undefined) {
      const result = (await unlessStopped(formTeamsThroughApi(api, data, query), 'before the result was in')) as TeamsOutput;
      process.stdout.write(renderTeams(result, flags.format));
      if (!flags.keepRunning) return;
    }
    process.stderr.write(`token for organisation ${LOCAL_ORG} (revoked when the fleet stops): ${token.secret}\nCtrl-C stops the fleet\n`);
    const ended = await Promise.race([stopRequested.then((signal) => ({ signal })), fleet.firstExit().then((exit) => ({ exit }))]);
    process.stderr.write(`stopping the fleet: ${'signal' in ended ? ended.signal : ended.exit}\n`);
    // A member that ended on its own is a failure of the fleet, whatever the others do.
    if ('exit' in ended) process.exitCode = 1;
  } catch (error) {
    if (error instanceof FleetStartError || error instanceof ApiRequestError) throw new UsageError(error.message);
    throw error;
  } finally {
    await fleet?.stop();
    await revoke().catch(() => undefined);
    await connections.close();
    if (fleet !== undefined) process.stderr.write('fleet stopped\n');
    if (logFile !== undefined) await new Promise((resolve) => logFile!.end(resolve));
  }
}

/**
 * The fleet's ports, each checked free before anything starts: a given port that is taken is
 * refused (another fleet there would answer in this one's place); one not given is the usual
 * port when free, otherwise a free one, and the choice is printed.
 */
async function portsOf(flags: LocalFleetFlags): Promise<FleetPorts> {
  const workers = Array.from({ length: flags.workers }, (_, i) => ({
    role: `worker-${i + 1} /metrics`,
    flag: '--worker-port',
    given: flags.workerPort === undefined ? undefined : flags.workerPort + i,
    preferred: USUAL_PORTS.worker + i,
  }));
  let chosen: ChosenPort[];
  try {
    chosen = await choosePorts([
      { role: 'the API', flag: '--api-port', given: flags.apiPort, preferred: USUAL_PORTS.api },
      { role: "the API's /metrics", flag: '--metrics-port', given: flags.metricsPort, preferred: USUAL_PORTS.metrics },
      { role: 'the exporter', flag: '--exporter-port', given: flags.exporterPort, preferred: USUAL_PORTS.exporter },
      ...workers,
    ]);
  } catch (error) {
    if (error instanceof PortsTakenError) throw new UsageError(error.message);
    throw error;
  }
  const moved = chosen.filter((choice) => choice.movedFrom !== undefined);
  if (moved.length > 0)
    process.stderr.write(`ports taken, using free ones instead: ${moved.map((c) => `${c.role} on ${c.port} (not ${c.movedFrom})`).join(', ')}\n`);
  const [api, metrics, exporter, ...workerPorts] = chosen.map((choice) => choice.port);
  return { apiPort: api!, metricsPort: metrics!, exporterPort: exporter!, workerPorts };
}

/** Opens the members' log file for appending, failing with the reason when it cannot be written. */
async function openLog(path: string): Promise<WriteStream> {
  const stream = createWriteStream(path, { flags: 'a' });
  try {
    await once(stream, 'open');
  } catch (error) {
    throw new UsageError(`--log-file: cannot write ${path}: ${(error as Error).message}`);
  }
  return stream;
}

/** The data set as the API takes it: JSON for a `.json` file or JSON text, CSV otherwise. */
function dataSetOf(file: string, text: string): ApiDataSet {
  const start = text.replace(/^\uFEFF/, '').trimStart()[0];
  return { text, format: formatOf(file) === 'json' || start === '[' || start === '{' ? 'json' : 'csv' };
}

/** Redis and PostgreSQL, or a message that says which is missing, how to start it, and what runs without either. */
async function connectOrExplain(file: string | undefined): Promise<FleetConnections> {
  try {
    return await connectToFleet();
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const offline = `insights teams ${file ?? 'examples/people.csv'} --team-size 5-7`;
    throw new UsageError(`${error.message}\nthe fleet needs both; without them, cluster and form teams in this process: ${offline}`);
  }
}

/** The API's query parameters for the flags given. */
function submissionQuery(flags: Pick<LocalFleetFlags, 'teamSize' | 'teams' | 'method' | 'clusters' | 'seed'>): Record<string, string> {
  if ((flags.teamSize === undefined) === (flags.teams === undefined)) throw new UsageError('--submit needs either --team-size MIN-MAX or --teams N');
  const query: Record<string, string> = {};
  if (flags.teamSize !== undefined) query.team_size = flags.teamSize;
  if (flags.teams !== undefined) query.teams = flags.teams;
  if (flags.method !== undefined) query.method = flags.method;
  if (flags.clusters !== undefined) query.clusters = flags.clusters;
  if (flags.seed !== undefined) query.seed = flags.seed;
  return query;
}

/** Resolves with the name of the first SIGINT or SIGTERM. */
function signalled(): Promise<string> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError('expected a whole number from 1 to 64');
  return n;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65_535) throw new InvalidArgumentError('expected a port from 1 to 65535');
  return n;
}
