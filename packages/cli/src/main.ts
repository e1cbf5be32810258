import { CommanderError } from 'commander';
import { InsightsError } from '@insights/core';
import { ExitCode, JobFailedError, UsageError } from './errors.js';
import { buildProgram } from './program.js';

const VERSION = '0.1.0';

/** Runs the command line and maps failures to exit statuses: 2 for the caller's mistakes, 1 for ours. */
async function main(argv: string[]): Promise<number> {
  const program = await buildProgram(VERSION, argv);
  try {
    await program.parseAsync(argv);
    return ExitCode.OK;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
    }
    if (error instanceof UsageError || error instanceof InsightsError) {
      process.stderr.write(`insights: ${error.message}\n`);
      return error instanceof InsightsError && error.code === 'INTERNAL' ? ExitCode.INTERNAL : ExitCode.USAGE;
    }
    if (error instanceof JobFailedError) {
      process.stderr.write(`insights: ${error.message}\n`);
      return ExitCode.INTERNAL;
    }
    process.stderr.write(`insights: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return ExitCode.INTERNAL;
  }
}

// A long-running command (the worker) may already have set the status it exits with.
const status = await main(process.argv);
process.exitCode ||= status;
