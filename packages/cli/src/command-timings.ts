import type { ClusteringResult } from '@insights/core';

type Timings = ClusteringResult['timings_ms'];

/** What a command measured itself, in milliseconds, before the core ran. */
export interface InputTimings {
  /** From the process' time origin (its start) to the command's first step: Node and module loading. */
  start: number;
  /** Reading the file or standard input. */
  read: number;
  /** Parsing and validating the profiles. */
  parse: number;
}

/**
 * The whole command's timings: start-up, read and parse, the core's stages (and any the command
 * adds, such as `teams`), then `write` and `total`. `write` (rendering the output) and `total`
 * (from the process' start) are taken when the JSON serialiser reaches the timings, which it does
 * after the assignments: so they cover rendering everything before them, and only writing the
 * text to standard output is left out. Call this just before rendering.
 */
export function commandTimings(input: InputTimings, core: Timings, extra: Record<string, number> = {}): Timings {
  const renderStarted = performance.now();
  const { total: _coreTotal, ...stages } = core;
  const timings: Timings = { ...input, ...stages, ...extra, write: 0, total: renderStarted };
  Object.defineProperty(timings, 'toJSON', {
    enumerable: false,
    value: (): Timings => {
      const now = performance.now();
      return { ...timings, write: now - renderStarted, total: now };
    },
  });
  return timings;
}
