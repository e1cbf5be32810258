import type { Command } from 'commander';

/** `insights responder`: the alert responder, Alertmanager's webhook receiver. */
export function registerResponderCommand(program: Command): void {
  program
    .command('responder')
    .description(
      'run the alert responder: POST /alerts for Alertmanager on RESPONDER_PORT (9466) until SIGTERM (configured by RESPONDER_SECRET, REDIS_URL, DATABASE_URL, RESPONDER_* …)',
    )
    .action(async () => {
      // Loaded here, not at the top: `insights --help` lists this command without loading it.
      const { runResponderProcess } = await import('@insights/responder');
      await runResponderProcess(process.env);
    });
}
