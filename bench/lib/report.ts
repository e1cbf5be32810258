import { cpus, loadavg } from 'node:os';

/** Rounds to `digits` decimals, for readable JSON. */
export function round(value: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/**
 * What the numbers were measured on. The load average is there because the benchmarks often run
 * on a shared machine, and timings taken under load are not comparable with quiet ones.
 */
export function machine(): { node: string; cpus: number; cpu_model: string; loadavg_1m: number } {
  const list = cpus();
  return { node: process.version, cpus: list.length, cpu_model: list[0]?.model ?? 'unknown', loadavg_1m: round(loadavg()[0] ?? 0, 2) };
}

/** Prints the benchmark's one JSON document on stdout. */
export function printJson(document: unknown): void {
  process.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
}
