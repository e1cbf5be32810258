/**
 * The clustering options' contract values: methods, bounds and defaults. Declared here once; the
 * core's own schema, the job payload schema, the HTTP API's query and body schemas, the CLI's
 * flags and help, and the exporter's label values are all derived from them.
 */
import { z } from 'zod';

/** Clustering methods: plain k-means, or a reservoir's features clustered with k-means. */
export const METHODS = ['kmeans', 'esn', 'snn', 'lsm', 'hybrid'] as const;
export type Method = (typeof METHODS)[number];

/** The method used when none is given. */
export const DEFAULT_METHOD: Method = 'hybrid';

/** An integer option's least and greatest value, and its default when it has one. */
export interface IntegerBound {
  readonly min: number;
  readonly max?: number;
  readonly default?: number;
}

/** Bounds and defaults of the integer clustering options. */
export const CLUSTERING_LIMITS = {
  /** Number of clusters (or `auto`, see AUTO_K). */
  clusters: { min: 2, max: 50, default: 4 },
  /** Seed of every random choice: a 32-bit unsigned integer. */
  seed: { min: 0, max: 2 ** 32 - 1, default: 42 },
  /** k-means++ restarts; the lowest inertia wins. */
  nInit: { min: 1, max: 100, default: 10 },
  /** Bootstrap re-clusterings behind the stability score; 0 skips it. */
  stabilityRuns: { min: 0, max: 100, default: 10 },
  /** Silhouette is exact up to this many rows, sampled above. */
  silhouetteMaxRows: { min: 100, default: 4_000 },
} as const satisfies Record<string, IntegerBound>;

/**
 * `clusters: 'auto'`: the values of k it chooses among (at most one fewer than the rows), and the
 * bootstrap stability a k must reach to be trusted, however good its silhouette.
 */
export const AUTO_K = { min: 2, max: 10, minStability: 0.8 } as const;

/** An integer within a bound, as a zod schema; whether it defaults is the caller's choice. */
export function boundedInteger(bound: IntegerBound): z.ZodNumber {
  const base = z.number().int().min(bound.min);
  return bound.max === undefined ? base : base.max(bound.max);
}
