import { InvalidArgumentError, Option, type Command } from 'commander';
import { JobFailedError, UsageError } from '../errors.js';
import { checkReportFlags, reportOptionsFrom, type ReportFlags } from '../format/html.js';
import { formatJson } from '../format/json.js';
import { readInput, formatOf } from '../read-input.js';
import { addClusteringOptions, clusteringOptionsFrom, render, type ClusterFlags, type OutputFormat } from './cluster.js';
import type { ClusteringResult } from '@insights/core';
import { connectToFleet } from './services.js';
import { addTeamOptions, renderTeams, teamOptionsFrom, type TeamsFlags, type TeamsOutput } from './teams.js';
import { JobFailure, progressView, waitForJob } from '../wait-for-job.js';

const DEFAULT_ORG = 'default';

/** The flags of `submit … --wait`. */
interface WaitFlags {
  org: string;
  wait?: boolean;
  /** Seconds. */
  timeout: number;
  /** Seconds. */
  warnAfter: number;
}

/** Adds `--wait`, `--timeout` and `--warn-after` to a submit command. */
function addWaitOptions(command: Command): Command {
  return command
    .option('--wait', 'wait for the job, showing its progress on standard error, and print its result')
    .option('--timeout <seconds>', 'with --wait: give up waiting after this long (the job goes on)', seconds, 600)
    .option('--warn-after <seconds>', 'with --wait: warn when no worker has taken the job after this long', seconds, 10);
}

/**
 * `insights worker`, `migrate`, `prune`, `submit`, `status` and `result`: the commands of a running
 * fleet. Their packages (the worker, the store, the queues) are loaded by the action that needs
 * them, so that listing these commands in `insights --help` loads none of them.
 */
export function registerFleetCommands(program: Command): void {
  program
    .command('worker')
    .description('run a worker: takes clustering and team-formation jobs until SIGTERM (configured by REDIS_URL, DATABASE_URL, WORKER_* …)')
    .action(async () => {
      const { runWorkerProcess } = await import('@insights/worker');
      await runWorkerProcess(process.env);
    });

  program
    .command('migrate')
    .description('bring the PostgreSQL schema up to date (DATABASE_URL, DATABASE_SCHEMA)')
    .action(async () => {
      const fleet = await connectToFleet();
      try {
        const { applied } = await fleet.store.migrate();
        process.stdout.write(applied.length > 0 ? `applied ${applied.join(', ')}\n` : 'schema already up to date\n');
      } finally {
        await fleet.close();
      }
    });

  program
    .command('prune')
    .description('delete results, unused data sets, job index rows, audit entries and ended incidents older than a duration')
    .requiredOption('--older-than <duration>', 'e.g. 180d, 12h, 30m')
    .action(async (flags: { olderThan: string }) => {
      const { parseDuration } = await import('@insights/store');
      let ms: number;
      try {
        ms = parseDuration(flags.olderThan);
      } catch (error) {
        throw new UsageError(`--older-than: ${(error as Error).message}`);
      }
      const fleet = await connectToFleet();
      try {
        const removed = await fleet.store.pruneOlderThan(ms);
        process.stdout.write(
          `removed ${removed.results} results, ${removed.datasets} data sets, ${removed.jobIndex} job index rows, ${removed.auditEntries} audit entries and ${removed.incidents} incidents\n`,
        );
      } finally {
        await fleet.close();
      }
    });

  const submit = program.command('submit').description('validate a file, store it and enqueue a job on the running fleet');
  addClusteringOptions(submit.command('cluster').argument('<file>', 'CSV or JSON file, or - for standard input'), 'json').option(
    '--org <name>',
    'organisation the job belongs to',
    DEFAULT_ORG,
  );
  addWaitOptions(submit.commands.at(-1)!).action(async (file: string, flags: ClusterFlags & WaitFlags) => {
    const { options } = clusteringOptionsFrom(flags);
    checkReportFlags(flags);
    const text = await readInput(file);
    const fleet = await connectToFleet();
    try {
      const submitted = await fleet.client.submitClustering(flags.org, { text, format: formatOf(file), skipInvalid: flags.skipInvalid ?? false }, options);
      await finish(fleet, submitted.id, flags);
    } finally {
      await fleet.close();
    }
  });
  addTeamOptions(addClusteringOptions(submit.command('teams').argument('<file>', 'CSV or JSON file, or - for standard input'), 'json'))
    .option('--org <name>', 'organisation the job belongs to', DEFAULT_ORG)
    .option('--clustering-job <id>', 'form teams on the result of this finished clustering job instead of clustering first');
  addWaitOptions(submit.commands.at(-1)!).action(async (file: string, flags: TeamsFlags & WaitFlags & { clusteringJob?: string }) => {
    const { options } = clusteringOptionsFrom(flags);
    const teams = teamOptionsFrom(flags, options.seed as number);
    checkReportFlags(flags);
    const text = await readInput(file);
    const fleet = await connectToFleet();
    try {
      const submitted = await fleet.client.submitTeamFormation(flags.org, { text, format: formatOf(file), skipInvalid: flags.skipInvalid ?? false }, teams, {
        options,
        clusteringJobId: flags.clusteringJob,
      });
      await finish(fleet, submitted.id, flags, submitted.clusteringJobId);
    } finally {
      await fleet.close();
    }
  });

  program
    .command('status')
    .description('state, progress, attempts and failure reason of a job')
    .argument('<id>', 'job id')
    .option('--json', 'print JSON')
    .action(async (id: string, flags: { json?: boolean }) => {
      const fleet = await connectToFleet();
      try {
        const status = await found(id, () => fleet.client.getJob(id));
        const view = {
          id: status.id,
          queue: status.queue,
          state: status.state,
          progress: status.progress,
          attempts: status.attempts,
          failedReason: status.failedReason,
        };
        process.stdout.write(
          flags.json ? formatJson(view, false) : `${status.id} ${status.queue} ${status.state}${status.failedReason ? `: ${status.failedReason}` : ''}\n`,
        );
      } finally {
        await fleet.close();
      }
    });

  program
    .command('result')
    .description('the stored result of a finished job, as `insights cluster`/`teams` print it')
    .argument('<id>', 'job id')
    .option('--org <name>', "organisation the job belongs to (default: the job's own, found by its id)")
    .option('--json', 'print JSON (the default)')
    .addOption(new Option('--format <format>', 'json, or html: a self-contained report (see docs/report.md)').choices(['json', 'html']).default('json'))
    .option('--anonymise', 'with --format html: show pseudonyms ("Person 7F3A") instead of employee_ids')
    .option('--anonymise-salt <secret>', 'with --format html: the secret behind the pseudonyms (implies --anonymise; default: a random one)')
    .action(async (id: string, flags: ReportFlags & { org?: string; json?: boolean }) => {
      if (flags.json === true && flags.format !== 'json') throw new UsageError(`--json and --format ${flags.format} contradict each other`);
      checkReportFlags(flags);
      const fleet = await connectToFleet();
      try {
        const org = await organisationOf(fleet, id, flags.org);
        if (flags.format === 'html') {
          process.stdout.write(await storedReport(fleet, id, org, flags));
          return;
        }
        const result = await fleet.client.getResult(id, org);
        if (result === null) throw new UsageError(noResult(id, org));
        process.stdout.write(formatJson(result, process.stdout.isTTY === true));
      } finally {
        await fleet.close();
      }
    });
}

async function found<T>(id: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const { JobNotFoundError } = await import('@insights/producer');
    if (error instanceof JobNotFoundError)
      throw new UsageError(`${error.message} (the queues no longer hold it: \`npx insights result ${id}\` shows a stored result)`);
    throw error;
  }
}

function noResult(id: string, org: string): string {
  return `job ${id} has no stored result for organisation ${org} (not finished, failed, or unknown)`;
}

/**
 * The organisation whose result to read: the job's own, from its stored result (job ids are
 * unique across organisations, and this command reads the database directly, as an operator
 * does). Given `--org`, a job of another organisation is refused with the one to give; no result
 * at all is explained by the job's state in the queues.
 */
async function organisationOf(fleet: Awaited<ReturnType<typeof connectToFleet>>, id: string, given: string | undefined): Promise<string> {
  const row = await fleet.store.getResult(id);
  if (row !== null) {
    if (given !== undefined && given !== row.organization)
      throw new UsageError(`job ${id} is not organisation ${given}'s: give --org ${row.organization}, or leave --org out`);
    return row.organization;
  }
  const { JobNotFoundError } = await import('@insights/producer');
  let state: string;
  try {
    const status = await fleet.client.getJob(id);
    state = status.state === 'failed' ? `failed: ${status.failedReason ?? 'no reason given'}` : status.state;
  } catch (error) {
    if (error instanceof JobNotFoundError) throw new UsageError(`no job ${id}: neither a stored result nor a queued job has this id`);
    throw error;
  }
  throw new UsageError(`job ${id} has no stored result yet (${state}); \`npx insights status ${id}\` follows it`);
}

/**
 * The HTML report of a stored result. The result holds only who is in which cluster, so the
 * people's energies for the wheel come from the job's stored data set (when retention has not
 * removed it; the report then says it can draw only the cluster centres): the report package's
 * `renderStoredReport`, which `GET /api/v1/jobs/:id/report` uses too.
 */
async function storedReport(fleet: Awaited<ReturnType<typeof connectToFleet>>, id: string, org: string, flags: ReportFlags): Promise<string> {
  const { renderStoredReport } = await import('@insights/report');
  const row = await fleet.store.getResult(id, org);
  if (row === null) throw new UsageError(noResult(id, org));
  return renderStoredReport(row, (datasetId) => fleet.store.getDataset(datasetId, org), reportOptionsFrom(flags, undefined));
}

/**
 * Prints the job id (on standard output), or with `--wait` prints it at once on standard error,
 * shows the job's progress there until it ends, and prints the stored result in the chosen format.
 */
async function finish(
  fleet: Awaited<ReturnType<typeof connectToFleet>>,
  id: string,
  flags: ReportFlags & WaitFlags & { format: OutputFormat },
  childId?: string,
): Promise<void> {
  const { format, org } = flags;
  if (flags.wait !== true) {
    process.stdout.write(`${id}\n`);
    return;
  }
  process.stderr.write(`job ${id} submitted (organisation ${org})\n`);
  try {
    await waitForJob((jobId) => fleet.client.getJob(jobId), id, {
      timeoutMs: flags.timeout * 1000,
      warnAfterMs: flags.warnAfter * 1000,
      view: progressView(id, process.stderr),
      childId,
    });
  } catch (error) {
    if (!(error instanceof JobFailure)) throw error;
    const { faultOfReason } = await import('@insights/jobs');
    if (faultOfReason(error.reason) === 'caller') throw new UsageError(`job ${id} failed: ${error.reason}`);
    throw new JobFailedError(`job ${id} failed: ${error.reason}`);
  }
  if (format === 'html') {
    process.stdout.write(await storedReport(fleet, id, org, flags));
    return;
  }
  const result = (await fleet.client.getResult(id, org)) as ClusteringResult | TeamsOutput;
  process.stdout.write('teams' in result ? renderTeams(result, format) : render(result, format, process.stdout.isTTY === true));
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 86_400) throw new InvalidArgumentError('expected a number of seconds above 0, at most 86400');
  return n;
}
