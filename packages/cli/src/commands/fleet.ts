import { Option, type Command } from 'commander';
import { JobFailedError, UsageError } from '../errors.js';
import { checkReportFlags, reportOptionsFrom, type ReportFlags } from '../format/html.js';
import { formatJson } from '../format/json.js';
import { readInput, formatOf } from '../read-input.js';
import { addClusteringOptions, clusteringOptionsFrom, render, type ClusterFlags, type OutputFormat } from './cluster.js';
import type { ClusteringResult } from '@insights/core';
import { connectToFleet } from './services.js';
import { addTeamOptions, renderTeams, teamOptionsFrom, type TeamsFlags, type TeamsOutput } from './teams.js';

const DEFAULT_ORG = 'default';

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
      const { migrate } = await import('@insights/store');
      const fleet = await connectToFleet();
      try {
        const { applied } = await migrate(fleet.db, { schema: fleet.config.DATABASE_SCHEMA });
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
      const { parseDuration, pruneOlderThan } = await import('@insights/store');
      let ms: number;
      try {
        ms = parseDuration(flags.olderThan);
      } catch (error) {
        throw new UsageError(`--older-than: ${(error as Error).message}`);
      }
      const fleet = await connectToFleet();
      try {
        const removed = await pruneOlderThan(fleet.db, ms, { schema: fleet.config.DATABASE_SCHEMA });
        process.stdout.write(
          `removed ${removed.results} results, ${removed.datasets} data sets, ${removed.jobIndex} job index rows, ${removed.auditEntries} audit entries and ${removed.incidents} incidents\n`,
        );
      } finally {
        await fleet.close();
      }
    });

  const submit = program.command('submit').description('validate a file, store it and enqueue a job on the running fleet');
  addClusteringOptions(submit.command('cluster').argument('<file>', 'CSV or JSON file, or - for standard input'), 'json')
    .option('--org <name>', 'organisation the job belongs to', DEFAULT_ORG)
    .option('--wait', 'wait for the job and print its result')
    .action(async (file: string, flags: ClusterFlags & { org: string; wait?: boolean }) => {
      const { options } = clusteringOptionsFrom(flags);
      checkReportFlags(flags);
      const text = await readInput(file);
      const fleet = await connectToFleet();
      try {
        const submitted = await fleet.client.submitClustering(flags.org, { text, format: formatOf(file), skipInvalid: flags.skipInvalid ?? false }, options);
        await finish(fleet, submitted.id, flags.org, flags.wait === true, flags);
      } finally {
        await fleet.close();
      }
    });
  addTeamOptions(addClusteringOptions(submit.command('teams').argument('<file>', 'CSV or JSON file, or - for standard input'), 'json'))
    .option('--org <name>', 'organisation the job belongs to', DEFAULT_ORG)
    .option('--clustering-job <id>', 'form teams on the result of this finished clustering job instead of clustering first')
    .option('--wait', 'wait for the job and print its result')
    .action(async (file: string, flags: TeamsFlags & { org: string; wait?: boolean; clusteringJob?: string }) => {
      const { options } = clusteringOptionsFrom(flags);
      const teams = teamOptionsFrom(flags, options.seed as number);
      checkReportFlags(flags);
      const text = await readInput(file);
      const fleet = await connectToFleet();
      try {
        const submitted = await fleet.client.submitTeamFormation(
          flags.org,
          { text, format: formatOf(file), skipInvalid: flags.skipInvalid ?? false },
          teams,
          { options, clusteringJobId: flags.clusteringJob },
        );
        await finish(fleet, submitted.id, flags.org, flags.wait === true, flags);
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
        const status = await found(() => fleet.client.getJob(id));
        const view = { id: status.id, queue: status.queue, state: status.state, progress: status.progress, attempts: status.attempts, failedReason: status.failedReason };
        process.stdout.write(flags.json ? formatJson(view, false) : `${status.id} ${status.queue} ${status.state}${status.failedReason ? `: ${status.failedReason}` : ''}\n`);
      } finally {
        await fleet.close();
      }
    });

  program
    .command('result')
    .description('the stored result of a finished job, as `insights cluster`/`teams` print it')
    .argument('<id>', 'job id')
    .option('--org <name>', 'organisation the job belongs to', DEFAULT_ORG)
    .option('--json', 'print JSON (the default)')
    .addOption(new Option('--format <format>', 'json, or html: a self-contained report (see docs/report.md)').choices(['json', 'html']).default('json'))
    .option('--anonymise', 'with --format html: show pseudonyms ("Person 7F3A") instead of employee_ids')
    .option('--anonymise-salt <secret>', 'with --format html: the secret behind the pseudonyms (implies --anonymise; default: a random one)')
    .action(async (id: string, flags: ReportFlags & { org: string; json?: boolean }) => {
      if (flags.json === true && flags.format !== 'json') throw new UsageError(`--json and --format ${flags.format} contradict each other`);
      checkReportFlags(flags);
      const fleet = await connectToFleet();
      try {
        if (flags.format === 'html') {
          process.stdout.write(await storedReport(fleet, id, flags.org, flags));
          return;
        }
        const result = await fleet.client.getResult(id, flags.org);
        if (result === null) throw new UsageError(noResult(id, flags.org));
        process.stdout.write(formatJson(result, process.stdout.isTTY === true));
      } finally {
        await fleet.close();
      }
    });
}

async function found<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const { JobNotFoundError } = await import('@insights/producer');
    if (error instanceof JobNotFoundError) throw new UsageError(error.message);
    throw error;
  }
}

function noResult(id: string, org: string): string {
  return `job ${id} has no stored result for organisation ${org} (not finished, failed, or unknown)`;
}

/**
 * The HTML report of a stored result. The result holds only who is in which cluster, so the
 * people's energies for the wheel come from the job's stored data set (when retention has not
 * removed it; the report then says it can draw only the cluster centres): the report package's
 * `renderStoredReport`, which `GET /api/v1/jobs/:id/report` uses too.
 */
async function storedReport(fleet: Awaited<ReturnType<typeof connectToFleet>>, id: string, org: string, flags: ReportFlags): Promise<string> {
  const [{ getDataset, getResult }, { renderStoredReport }] = await Promise.all([import('@insights/store'), import('@insights/report')]);
  const schema = { schema: fleet.config.DATABASE_SCHEMA };
  const row = await getResult(fleet.db, id, org, schema);
  if (row === null) throw new UsageError(noResult(id, org));
  return renderStoredReport(row, (datasetId) => getDataset(fleet.db, datasetId, org, schema), reportOptionsFrom(flags, undefined));
}

/** Prints the job id, or waits and prints the stored result in the chosen format. */
async function finish(
  fleet: Awaited<ReturnType<typeof connectToFleet>>,
  id: string,
  org: string,
  wait: boolean,
  flags: ReportFlags & { format: OutputFormat },
): Promise<void> {
  const format = flags.format;
  if (!wait) {
    process.stdout.write(`${id}\n`);
    return;
  }
  try {
    await fleet.client.waitForResult(id);
  } catch (error) {
    const reason = (error as Error).message;
    const { codeOfReason, JobErrorCode } = await import('@insights/jobs');
    const callersFault: string[] = [JobErrorCode.INVALID_PAYLOAD, JobErrorCode.INVALID_INPUT, JobErrorCode.NOT_FOUND];
    const code = codeOfReason(reason);
    if (code && callersFault.includes(code)) throw new UsageError(`job ${id} failed: ${reason}`);
    throw new JobFailedError(`job ${id} failed: ${reason}`);
  }
  if (format === 'html') {
    process.stdout.write(await storedReport(fleet, id, org, flags));
    return;
  }
  const result = (await fleet.client.getResult(id, org)) as ClusteringResult | TeamsOutput;
  process.stdout.write('teams' in result ? renderTeams(result, format) : render(result, format, process.stdout.isTTY === true));
}
