import { runService } from '@insights/runtime';
import { loadResponderConfig } from './config.js';
import { startResponder, type RunningResponder } from './start-responder.js';

/**
 * `insights responder`: runs until SIGTERM or SIGINT, then stops (closes its listeners, server and
 * connections) and exits 0. Bad configuration exits 2 with every problem listed; a failure to
 * start exits 1.
 */
export function runResponderProcess(env: NodeJS.ProcessEnv = process.env): Promise<RunningResponder | undefined> {
  return runService({ command: 'responder', load: () => loadResponderConfig(env), start: (config, log) => startResponder(config, log) });
}
