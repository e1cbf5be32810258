import type { Command } from 'commander';
import { runApiProcess } from '@insights/api';

/** `insights api`: the HTTP API, until SIGTERM. */
export function registerApiCommand(program: Command): void {
  program
    .command('api')
    .description('run the HTTP API until SIGTERM (configured by INSIGHTS_API_PORT, INSIGHTS_METRICS_PORT, REDIS_URL, DATABASE_URL …; see docs/api.md)')
    .action(async () => void (await runApiProcess(process.env)));
}
