import { runService, serviceLogger } from '@insights/runtime';
import { loadApiConfig } from './config.js';
import { startApi, type RunningApi } from './start-api.js';

/**
 * `insights api`: runs until SIGTERM or SIGINT, then finishes the requests in flight and exits 0.
 * Bad configuration exits 2 with every problem listed; a failure to start exits 1.
 */
export function runApiProcess(env: NodeJS.ProcessEnv = process.env): Promise<RunningApi | undefined> {
  return runService({
    command: 'api',
    load: () => loadApiConfig(env),
    // The audit log has its own logger (and level): it is never silenced with the service's.
    start: (config, log) => startApi(config, { log, audit: serviceLogger({ service: 'insights-api', level: 'info', base: { stream: 'audit' } }) }),
  });
}
