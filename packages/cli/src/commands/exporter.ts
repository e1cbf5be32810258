import type { Command } from 'commander';

/** `insights exporter`: the metrics sidecar, one scrape target for the whole fleet. */
export function registerExporterCommand(program: Command): void {
  program
    .command('exporter')
    .description(
      'run the metrics exporter: /metrics and /health on INSIGHTS_EXPORTER_PORT (9464) until SIGTERM (configured by REDIS_URL, QUEUE_PREFIX, INSIGHTS_EXPORTER_* …)',
    )
    .action(async () => {
      // Loaded here, not at the top: `insights --help` lists this command without loading it.
      const { runExporterProcess } = await import('@insights/exporter');
      await runExporterProcess(process.env);
    });
}
