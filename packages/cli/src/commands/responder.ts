import type { Command } from 'commander';
import { runResponderProcess } from '@insights/responder';

/** `insights responder`: the alert responder, Alertmanager's webhook receiver. */
export function registerResponderCommand(program: Command): void {
  program
    .command('responder')
    .description('run the alert responder: POST /alerts for Alertmanager on RESPONDER_PORT (9466) until SIGTERM (configured by RESPONDER_SECRET, REDIS_URL, DATABASE_URL, RESPONDER_* …)')
    .action(async () => void (await runResponderProcess(process.env)));
}
