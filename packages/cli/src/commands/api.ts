import type { Command } from 'commander';

/** `insights api`: the HTTP API, until SIGTERM. */
export function registerApiCommand(program: Command): void {
  program
    .command('api')
    .description('run the HTTP API until SIGTERM (configured by INSIGHTS_API_PORT, INSIGHTS_METRICS_PORT, REDIS_URL, DATABASE_URL …; see docs/api.md)')
    .action(async () => {
      // Loaded here, not at the top: `insights --help` lists this command without loading it.
      const { runApiProcess } = await import('@insights/api');
      await runApiProcess(process.env);
    });
}
