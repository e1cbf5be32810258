import { fileURLToPath } from 'node:url';
import { InvalidArgumentError, type Command } from 'commander';
import { UsageError } from '../errors.js';
import { readInput } from '../read-input.js';
import { FleetStartError, LocalFleet } from '../local-fleet/fleet.js';
import { ApiRequestError, formTeamsThroughApi } from '../local-fleet/submit-through-api.js';
import { connectToFleet, type FleetConnections } from './services.js';
import { renderTeams, type TeamsOutput } from './teams.js';

const SCRIPT = fileURLToPath(new URL('../../bin/insights.js', import.meta.url));
const LOCAL_ORG = 'local';

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
  apiPort: number;
  metricsPort: number;
  exporterPort: number;
  workerPort: number;
}

/** `insights fleet`: the API, the exporter and N workers on this machine, for local use. */
export function registerLocalFleetCommand(program: Command): void {
  program
    .command('fleet')
    .description('run the API, the exporter and N workers as child processes against local Redis and PostgreSQL; Ctrl-C stops them all')
    .option('--workers <n>', 'worker processes', positiveInteger, 2)
    .option('--submit <file>', 'submit this CSV through the API as a team formation, print clusters and teams, then stop (unless --keep-running)')
    .option('--team-size <min-max>', 'with --submit: people per team, e.g. 5-7')
    .option('--teams <n>', 'with --submit: number of teams')
    .option('--method <method>', 'with --submit: kmeans, esn, snn, lsm or hybrid')
    .option('--clusters <k>', 'with --submit: number of clusters, or auto')
    .option('--seed <n>', 'with --submit: seed of every random choice')
    .option('--format <format>', 'with --submit: table or json', 'table')
    .option('--keep-running', 'with --submit: keep the fleet running after printing the result')
    .option('--api-port <port>', 'API port', port, 8000)
    .option('--metrics-port <port>', "the API's internal /metrics port", port, 9090)
    .option('--exporter-port <port>', "the exporter's port", port, 9464)
    .option('--worker-port <port>', "the first worker's /metrics port (worker i uses this + i)", port, 9465)
    .action(runLocalFleet);
}

async function runLocalFleet(flags: LocalFleetFlags): Promise<void> {
  if (flags.format !== 'table' && flags.format !== 'json') throw new UsageError(`--format: expected table or json, got ${flags.format}`);
  const query = flags.submit ? submissionQuery(flags) : undefined;
  const csv = flags.submit ? await readInput(flags.submit) : undefined;
  const connections = await connectOrExplain(flags.submit);
  let revoke: () => Promise<void> = async () => undefined;
  let fleet: LocalFleet | undefined;
  try {
    // Loaded here, not at the top: `insights --help` lists this command without loading pg.
    const [{ migrate }, { issueLocalToken }] = await Promise.all([import('@insights/store'), import('../local-fleet/local-token.js')]);
    await migrate(connections.db, { schema: connections.config.DATABASE_SCHEMA });
    const token = await issueLocalToken(connections.db, LOCAL_ORG, connections.config.DATABASE_SCHEMA);
    revoke = token.revoke;
    fleet = new LocalFleet(flags, SCRIPT, process.stderr);
    const stopRequested = signalled();
    const unlessStopped = <T>(work: Promise<T>, what: string) => Promise.race([work, stopRequested.then((signal) => Promise.reject(new UsageError(`${signal}: stopped ${what}`)))]);
    await unlessStopped(fleet.ready(), 'before the fleet was ready');
    const api = { baseUrl: `http://127.0.0.1:${flags.apiPort}`, token: token.secret };
    process.stderr.write(`fleet ready: API ${api.baseUrl} (organisation ${LOCAL_ORG}), /metrics on :${flags.metricsPort}, exporter on :${flags.exporterPort}, ${flags.workers} worker(s)\n`);
    if (csv !== undefined && query !== undefined) {
      const result = (await unlessStopped(formTeamsThroughApi(api, csv, query), 'before the result was in')) as TeamsOutput;
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
  }
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
export function submissionQuery(flags: Pick<LocalFleetFlags, 'teamSize' | 'teams' | 'method' | 'clusters' | 'seed'>): Record<string, string> {
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
