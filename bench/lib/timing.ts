/** Median of a non-empty list (mean of the middle two for an even length). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Named durations of one run, e.g. `{ fit_ms, total_ms }`. */
export type Durations = Record<string, number>;

/** The first (cold) run, the timed runs after it, and the per-key median of the timed runs. */
export interface RepeatedTiming<T extends Durations> {
  cold: T;
  runs: T[];
  median: T;
}

/**
 * Runs `run` once cold, then `warmups` more untimed times (V8 needs several runs before its
 * optimising compiler has settled on hot loops), then `runs` more times, and returns the cold
 * durations, every timed run, and the median of each duration over the timed runs. Medians
 * rather than means, because other work on a shared machine only ever adds time.
 */
export function timeRepeated<T extends Durations>(run: () => T, runs: number, warmups = 0): RepeatedTiming<T> {
  const cold = run();
  for (let w = 0; w < warmups; w++) run();
  const timed: T[] = [];
  for (let r = 0; r < runs; r++) timed.push(run());
  const mid: Durations = {};
  for (const key of Object.keys(cold)) mid[key] = median(timed.map((t) => t[key]!));
  return { cold, runs: timed, median: mid as T };
}
