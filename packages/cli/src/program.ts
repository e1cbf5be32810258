import { Command } from 'commander';
import { registerClusterCommand } from './commands/cluster.js';
import { registerTeamsCommand } from './commands/teams.js';
import { registerFleetCommands } from './commands/fleet.js';
import { registerApiCommand } from './commands/api.js';
import { registerTokenCommands } from './commands/token.js';
import { registerLocalFleetCommand } from './commands/local-fleet.js';
import { registerExporterCommand } from './commands/exporter.js';
import { registerResponderCommand } from './commands/responder.js';

/**
 * The `insights` command line, without running it. Usage errors throw a CommanderError (set
 * before the subcommands are added, so that they inherit it) instead of exiting.
 */
export function buildProgram(version: string): Command {
  const program = new Command('insights')
    .description('Observer Coordinator Insights: cluster Insights Discovery profiles and form balanced teams')
    .version(version)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
  registerClusterCommand(program);
  registerTeamsCommand(program);
  registerFleetCommands(program);
  registerApiCommand(program);
  registerTokenCommands(program);
  registerLocalFleetCommand(program);
  registerExporterCommand(program);
  registerResponderCommand(program);
  return program;
}
