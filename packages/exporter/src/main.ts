import { runService } from '@insights/runtime';
import { loadExporterConfig } from './config.js';
import { startExporter, type RunningExporter } from './start-exporter.js';

/**
 * `insights exporter`: runs until SIGTERM or SIGINT, then stops (closes its listeners, server and
 * connections) and exits 0. Bad configuration exits 2 with every problem listed; a failure to
 * start exits 1.
 */
export function runExporterProcess(env: NodeJS.ProcessEnv = process.env): Promise<RunningExporter | undefined> {
  return runService({ command: 'exporter', load: () => loadExporterConfig(env), start: (config, log) => startExporter(config, log) });
}
