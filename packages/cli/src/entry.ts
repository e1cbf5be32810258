/**
 * The process entry point. For the long-running services it starts OpenTelemetry before anything
 * else is imported — instrumentation can only patch ioredis, pg and http as they are first
 * loaded — and flushes spans when the process ends on its own. Then it runs the command line.
 */
const SERVICE_NAMES: Record<string, string> = {
  api: 'insights-api',
  worker: 'insights-worker',
  exporter: 'insights-exporter',
  responder: 'insights-responder',
};

const service = SERVICE_NAMES[process.argv[2] ?? ''];
if (service !== undefined && !process.argv.includes('--help') && !process.argv.includes('-h')) {
  const { loadTelemetryConfig, registerModuleHooks, startTelemetry, TelemetryConfigError } = await import('@insights/telemetry');
  try {
    const config = loadTelemetryConfig(service, process.env);
    if (config.enabled) registerModuleHooks();
    const telemetry = startTelemetry(config);
    let flushed = false;
    process.on('beforeExit', () => {
      if (flushed) return;
      flushed = true;
      void telemetry.shutdown();
    });
  } catch (error) {
    if (!(error instanceof TelemetryConfigError)) throw error;
    process.stderr.write(`insights ${process.argv[2]}: ${error.message}\n`);
    process.exit(2);
  }
}

await import('./main.js');
