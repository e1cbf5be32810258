import { raceTimeout } from './timeout.js';

/** One health check: healthy or not, with why and how long it took. */
export interface CheckResult {
  status: 'healthy' | 'unhealthy';
  message: string;
  duration_ms: number;
}

/**
 * Runs a check with a timeout, timing it: a dependency that does not answer in time is as
 * unhealthy as one that refuses.
 */
export async function timedCheck(name: string, timeoutMs: number, check: () => Promise<unknown>): Promise<CheckResult> {
  const started = performance.now();
  try {
    await raceTimeout(check(), timeoutMs, () => {
      throw new Error(`${name} did not answer within ${timeoutMs} ms`);
    });
    return { status: 'healthy', message: `${name} answered`, duration_ms: performance.now() - started };
  } catch (error) {
    return { status: 'unhealthy', message: (error as Error).message, duration_ms: performance.now() - started };
  }
}
