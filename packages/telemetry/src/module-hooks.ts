import { register } from 'node:module';

/**
 * Lets OpenTelemetry instrument ES modules (ioredis as bullmq imports it, for one): registers
 * import-in-the-middle's loader hook. Must run before those modules are first imported, so a
 * process entry point calls it first and imports the rest afterwards.
 */
export function registerModuleHooks(): void {
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
}
