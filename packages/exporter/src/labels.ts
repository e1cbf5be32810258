/**
 * Label values with a fixed or capped set, so that no series count grows with the data: counts
 * fall in fixed ranges, organisations beyond a cap share `other`, and nothing ever holds an id.
 */
import { METHODS as CORE_METHODS, TEAM_STRATEGIES } from '@insights/core';

/** The value of a label that is not known: a failed job whose data is gone, a summary without the field. */
export const UNKNOWN = 'unknown';

/** The value organisations beyond the cap, and unlisted strategies, share. */
export const OTHER = 'other';

/** Values of `method`: the methods a job can ask for, as the core declares them. */
export const METHODS = CORE_METHODS;

/** Values of `strategy`: the team-formation strategies workers report, as the core declares them. */
export const STRATEGIES = TEAM_STRATEGIES;

/** Ranges of `cluster_count`: a clustering asks for 2 to 50 clusters (the core's CLUSTERING_LIMITS). */
export const CLUSTER_COUNT_BUCKETS = ['1', '2-3', '4-6', '7-10', '11+'] as const;

/** Ranges of `team_count`: from one team to hundreds. */
export const TEAM_COUNT_BUCKETS = ['1', '2-3', '4-6', '7-10', '11-20', '21-50', '51+'] as const;

/** The upper end of a range label: `"4-6"` → 6, `"1"` → 1, `"11+"` → Infinity. */
function upperEnd(bucket: string): number {
  if (bucket.endsWith('+')) return Infinity;
  return Number(bucket.slice(bucket.lastIndexOf('-') + 1));
}

/** The range label (`"4-6"`, `"11+"`) a count falls in; counts below the first range fall in it. */
export function countBucket(count: number, buckets: readonly string[]): string {
  return buckets.find((bucket) => count <= upperEnd(bucket)) ?? buckets[buckets.length - 1]!;
}

/** `method` as a label: one of METHODS, else `unknown`. */
export function methodLabel(method: unknown): string {
  return typeof method === 'string' && (METHODS as readonly string[]).includes(method) ? method : UNKNOWN;
}

/** `strategy` as a label: one of STRATEGIES, `other` for another name, `unknown` when absent. */
export function strategyLabel(strategy: unknown): string {
  if (typeof strategy !== 'string') return UNKNOWN;
  return (STRATEGIES as readonly string[]).includes(strategy) ? strategy : OTHER;
}

/**
 * A label whose values are whatever it is given, up to a number of distinct values (the first
 * ones seen keep theirs); any value after that reports as `other`. Values must match `pattern`,
 * else they report as `unknown`. A restart of the exporter starts the count afresh.
 */
export class CappedLabel {
  private readonly known = new Set<string>();

  constructor(
    readonly max: number,
    private readonly pattern: RegExp = /^[^\p{Cc}]{1,100}$/u,
  ) {}

  /** The label value of `value`. */
  of(value: unknown): string {
    if (typeof value !== 'string' || !this.pattern.test(value)) return UNKNOWN;
    if (this.known.has(value)) return value;
    if (this.known.size >= this.max) return OTHER;
    this.known.add(value);
    return value;
  }

  /** Values that have a label of their own so far. */
  get values(): string[] {
    return [...this.known];
  }
}
