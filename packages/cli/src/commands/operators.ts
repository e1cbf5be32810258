import { InvalidArgumentError, type Command } from 'commander';
import type { JobRow, QueueAdmin } from '@insights/producer';
import { UsageError } from '../errors.js';
import { formatJson } from '../format/json.js';
import { connectToFleet, type FleetConnections } from './services.js';

/** What an operator's command does with the fleet's connections and its queue admin. */
type OperatorWork = (fleet: FleetConnections, admin: QueueAdmin) => Promise<void>;

/**
 * `insights jobs list|show|cancel|retry|delete`, `insights workers` and `insights queues
 * [pause|resume|clean]`: the operators' commands, on every job whatever route submitted it.
 * BullMQ, the producer and the store are loaded by the action, not when the commands are defined.
 */
export function registerOperatorCommands(program: Command): void {
  const jobs = program.command('jobs').description('list, inspect, cancel, retry or delete jobs of any route (API or submit)');
  jobs
    .command('list')
    .description('the newest jobs, newest first')
    .option(
      '--state <states>',
      'comma-separated: waiting, prioritized, waiting-children, delayed, active, completed, failed',
      'waiting,prioritized,waiting-children,delayed,active,completed,failed',
    )
    .option('--queue <queue>', 'clustering or team-formation (default: both)')
    .option('--limit <n>', 'at most this many', count, 20)
    .option('--json', 'print JSON')
    .action((flags: { state: string; queue?: string; limit: number; json?: boolean }) =>
      withAdmin(async (_fleet, admin) => {
        const { LISTED_STATES } = await import('@insights/producer');
        const states = flags.state.split(',').map((s) => s.trim());
        const unknown = states.filter((s) => !(LISTED_STATES as readonly string[]).includes(s));
        if (unknown.length > 0) throw new UsageError(`--state: unknown ${unknown.join(', ')}; expected ${LISTED_STATES.join(', ')}`);
        const rows = await admin.listJobs(states as (typeof LISTED_STATES)[number][], flags.limit, flags.queue);
        process.stdout.write(flags.json ? formatJson(rows, false) : jobTable(rows));
      }),
    );
  jobs
    .command('show')
    .description("a job's state, organisation, attempts, progress, failure reason and log lines")
    .argument('<id>', 'job id')
    .option('--json', 'print JSON')
    .action((id: string, flags: { json?: boolean }) =>
      withAdmin(async (_fleet, admin) => {
        const job = await admin.showJob(id);
        if (flags.json) {
          process.stdout.write(formatJson(job, false));
          return;
        }
        process.stdout.write(jobTable([job]));
        process.stdout.write(
          `progress: ${JSON.stringify(job.progress)}\n${job.failedReason ? `failed: ${job.failedReason}\n` : ''}${job.logs.map((line) => `log: ${line}\n`).join('')}`,
        );
      }),
    );
  jobs
    .command('cancel')
    .description('remove a job that has not started (a running or finished one cannot be cancelled)')
    .argument('<id>', 'job id')
    .action((id: string) =>
      withAdmin(async (fleet) => {
        await fleet.client.cancel(id);
        process.stdout.write(`cancelled ${id}\n`);
      }),
    );
  jobs
    .command('retry')
    .description('move a failed job back to waiting')
    .argument('<id>', 'job id')
    .action((id: string) =>
      withAdmin(async (_fleet, admin) => {
        await admin.retryJob(id);
        process.stdout.write(`retrying ${id}\n`);
      }),
    );
  jobs
    .command('delete')
    .description('remove a job that is not running (waiting or finished) from its queue; its stored result stays (insights prune)')
    .argument('<id>', 'job id')
    .action((id: string) =>
      withAdmin(async (fleet, admin) => {
        const { queue } = await admin.showJob(id);
        const state = await fleet.client.remove(id, queue);
        process.stdout.write(`deleted ${id} (${state ?? 'gone'})\n`);
      }),
    );

  program
    .command('workers')
    .description('the workers connected to each queue, and the jobs in flight')
    .option('--json', 'print JSON')
    .action((flags: { json?: boolean }) =>
      withAdmin(async (_fleet, admin) => {
        const seen = await admin.workers();
        if (flags.json) {
          process.stdout.write(formatJson(seen, false));
          return;
        }
        const lines = seen.workers.map((w) => `${w.queue.padEnd(15)} ${w.addr.padEnd(22)} connected ${w.ageSeconds} s`);
        process.stdout.write(
          `${seen.workers.length} worker connection(s)\n${lines.map((line) => `${line}\n`).join('')}${seen.active.length} job(s) in flight\n${seen.active.length > 0 ? jobTable(seen.active) : ''}`,
        );
      }),
    );

  const queues = program
    .command('queues')
    .description('each queue: paused or not, and its jobs by state')
    .option('--json', 'print JSON')
    .action((flags: { json?: boolean }) =>
      withAdmin(async (_fleet, admin) => {
        const rows = await admin.queueRows();
        if (flags.json) {
          process.stdout.write(formatJson(rows, false));
          return;
        }
        for (const row of rows) {
          const counts = Object.entries(row.counts)
            .map(([state, n]) => `${state} ${n}`)
            .join(', ');
          process.stdout.write(`${row.queue.padEnd(15)} ${row.paused ? 'paused ' : 'running'}  ${counts}\n`);
        }
      }),
    );
  for (const [name, paused] of [
    ['pause', true],
    ['resume', false],
  ] as const) {
    queues
      .command(name)
      .description(paused ? 'pause a queue (or both): workers finish what they hold and take nothing new' : 'resume a paused queue (or both)')
      .argument('[queue]', 'clustering or team-formation (default: both)')
      .action((queue: string | undefined) =>
        withAdmin(async (_fleet, admin) => {
          const names = await admin.setPaused(paused, queue);
          process.stdout.write(`${paused ? 'paused' : 'resumed'} ${names.join(', ')}\n`);
        }),
      );
  }
  queues
    .command('clean')
    .description('remove the jobs of one state older than a duration (never running ones)')
    .argument('[queue]', 'clustering or team-formation (default: both)')
    .requiredOption('--state <state>', 'completed, failed, wait, delayed or prioritized')
    .requiredOption('--older-than <duration>', 'e.g. 0s, 12h, 7d')
    .option('--limit <n>', 'at most this many per queue', count, 1000)
    .action((queue: string | undefined, flags: { state: string; olderThan: string; limit: number }) =>
      withAdmin(async (_fleet, admin) => {
        const [{ CLEANABLE_STATES }, { parseDuration }] = await Promise.all([import('@insights/producer'), import('@insights/store')]);
        if (!(CLEANABLE_STATES as readonly string[]).includes(flags.state))
          throw new UsageError(`--state: expected ${CLEANABLE_STATES.join(', ')}, got ${flags.state}`);
        let grace: number;
        try {
          grace = /^0+[smhd]?$/.test(flags.olderThan) ? 0 : parseDuration(flags.olderThan);
        } catch (error) {
          throw new UsageError(`--older-than: ${(error as Error).message}`);
        }
        const removed = await admin.clean(flags.state as (typeof CLEANABLE_STATES)[number], grace, flags.limit, queue);
        process.stdout.write(
          `removed ${Object.entries(removed)
            .map(([q, n]) => `${n} ${flags.state} from ${q}`)
            .join(', ')}\n`,
        );
      }),
    );
}

/** Runs an operator's command on the fleet's connections, the caller's mistakes (unknown job, queue or state) as usage errors. */
async function withAdmin(work: OperatorWork): Promise<void> {
  const [{ QueueAdmin, JobNotFoundError, NotCancellableError }, fleet] = await Promise.all([import('@insights/producer'), connectToFleet()]);
  const admin = new QueueAdmin(fleet.redis, fleet.config.QUEUE_PREFIX);
  try {
    await work(fleet, admin);
  } catch (error) {
    if (error instanceof JobNotFoundError || error instanceof NotCancellableError || error instanceof RangeError) throw new UsageError(error.message);
    throw error;
  } finally {
    await admin.close();
    await fleet.close();
  }
}

/** Jobs as aligned columns. */
function jobTable(rows: readonly JobRow[]): string {
  if (rows.length === 0) return 'no jobs\n';
  const head = ['id', 'queue', 'state', 'organisation', 'attempts', 'added'];
  const cells = rows.map((r) => [r.id, r.queue, r.state, r.organization ?? '-', String(r.attempts), new Date(r.addedAt).toISOString()]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  return [head, ...cells]
    .map(
      (row) =>
        `${row
          .map((c, i) => c.padEnd(widths[i]!))
          .join('  ')
          .trimEnd()}\n`,
    )
    .join('');
}

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new InvalidArgumentError('expected a whole number from 1 to 100000');
  return n;
}
