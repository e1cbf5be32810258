import { ConfigError, loadClientConfig, type ClientConfig } from '@insights/runtime';
import { UsageError } from './errors.js';

/**
 * The configuration of a command that talks to a running fleet, from the environment; a bad
 * variable is the caller's to fix (exit status 2), with every problem listed.
 */
export function loadFleetConfig(env: NodeJS.ProcessEnv = process.env): ClientConfig {
  try {
    return loadClientConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message);
    throw error;
  }
}
