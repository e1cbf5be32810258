import { Command } from 'commander';
import { registerClusterCommand } from './commands/cluster.js';

/** The `insights` command line, without running it. */
export function buildProgram(version: string): Command {
  const program = new Command('insights')
    .description('Observer Coordinator Insights: cluster Insights Discovery profiles and form balanced teams')
    .version(version)
    .showHelpAfterError('(run with --help for usage)');
  registerClusterCommand(program);
  return program;
}
