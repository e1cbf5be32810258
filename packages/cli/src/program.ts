import { Command } from 'commander';

/** Adds one group of commands to the program. */
type Register = (program: Command) => void;

/**
 * Where each top-level command is defined, loaded only when needed: `insights cluster` then
 * never loads BullMQ, Fastify, pg or OpenTelemetry, which only the fleet's commands use.
 */
const COMMAND_MODULES: Record<string, () => Promise<Register>> = {
  cluster: async () => (await import('./commands/cluster.js')).registerClusterCommand,
  teams: async () => (await import('./commands/teams.js')).registerTeamsCommand,
  assign: async () => (await import('./commands/assign.js')).registerAssignCommand,
  fleet_commands: async () => (await import('./commands/fleet.js')).registerFleetCommands,
  api: async () => (await import('./commands/api.js')).registerApiCommand,
  token: async () => (await import('./commands/token.js')).registerTokenCommands,
  fleet: async () => (await import('./commands/local-fleet.js')).registerLocalFleetCommand,
  exporter: async () => (await import('./commands/exporter.js')).registerExporterCommand,
  responder: async () => (await import('./commands/responder.js')).registerResponderCommand,
  operators: async () => (await import('./commands/operators.js')).registerOperatorCommands,
};

/** The commands `registerFleetCommands` defines. */
const FLEET_COMMANDS = ['worker', 'migrate', 'prune', 'submit', 'status', 'result'];
/** The commands `registerOperatorCommands` defines. */
const OPERATOR_COMMANDS = ['jobs', 'workers', 'queues'];

/** The modules a command line needs: its command's alone, or all of them (help, an unknown name). */
function modulesFor(argv: readonly string[]): string[] {
  const name = argv[2];
  if (name !== undefined && FLEET_COMMANDS.includes(name)) return ['fleet_commands'];
  if (name !== undefined && OPERATOR_COMMANDS.includes(name)) return ['operators'];
  if (name !== undefined && name !== 'fleet_commands' && name !== 'operators' && name in COMMAND_MODULES) return [name];
  return Object.keys(COMMAND_MODULES);
}

/**
 * The `insights` command line for `argv`, without running it: only the modules of the command
 * named are loaded (every command's for help or an unknown name, so that those list them all).
 * Usage errors throw a CommanderError (set before the subcommands are added, so that they
 * inherit it) instead of exiting.
 */
export async function buildProgram(version: string, argv: readonly string[]): Promise<Command> {
  const program = bareProgram(version);
  const registers = await Promise.all(modulesFor(argv).map((name) => COMMAND_MODULES[name]!()));
  for (const register of registers) register(program);
  return program;
}

/** The `insights` program with no command registered yet: its name, description, version and error handling. */
export function bareProgram(version: string): Command {
  return new Command('insights')
    .description('Observer Coordinator Insights: cluster Insights Discovery profiles and form balanced teams')
    .version(version)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();
}
