import { z } from 'zod';
import { InvalidOptionsError } from '../errors.js';
import { RESERVOIR_DEFAULTS, type ReservoirParams } from '../reservoirs/registry.js';
import type { LsmParams } from '../reservoirs/lsm.js';
import { boundedInteger, CLUSTERING_LIMITS, DEFAULT_METHOD, METHODS, type IntegerBound, type Method } from './limits.js';

/** An integer option of CLUSTERING_LIMITS with its default. */
const withDefault = (bound: IntegerBound & { default: number }) => boundedInteger(bound).default(bound.default);

const positive = z.number().positive();
const count = z.number().int().positive();

/** Options a caller may give; every field is optional and documented with its default. */
export const ClusteringOptions = z
  .object({
    /** Method (default `hybrid`). */
    method: z.enum(METHODS).default(DEFAULT_METHOD),
    /** Number of clusters, 2–50, or `auto` to choose 2–10 by silhouette and stability (default 4). */
    clusters: z.union([boundedInteger(CLUSTERING_LIMITS.clusters), z.literal('auto')]).default(CLUSTERING_LIMITS.clusters.default),
    /** Seed of every random choice (default 42). */
    seed: withDefault(CLUSTERING_LIMITS.seed),
    /** k-means++ restarts; the lowest inertia wins (default 10). */
    nInit: withDefault(CLUSTERING_LIMITS.nInit),
    /** Bootstrap re-clusterings behind the stability score; 0 skips it (default 10). */
    stabilityRuns: withDefault(CLUSTERING_LIMITS.stabilityRuns),
    /** Silhouette is exact up to this many rows, sampled above (default 4,000; see docs/methods.md for the error). */
    silhouetteMaxRows: withDefault(CLUSTERING_LIMITS.silhouetteMaxRows),
    /** Prior weight of each reservoir's block in `hybrid`, then scaled by its agreement with the others (default 1 each). */
    hybridWeights: z.object({ esn: positive, snn: positive, lsm: positive }).partial().strict().default({}),
    esn: z
      .object({
        units: count,
        density: z.number().gt(0).max(1),
        spectralRadius: positive,
        leakRate: z.number().gt(0).max(1),
        inputScaling: positive,
        biasScaling: z.number().min(0),
        sequenceLength: count,
      })
      .partial()
      .strict()
      .default({}),
    snn: z
      .object({
        neurons: count,
        steps: count,
        tau: z.number().min(1),
        threshold: positive,
        maxInputRate: z.number().gt(0).max(1),
        inputWeight: positive,
        inhibition: z.number().min(0),
      })
      .partial()
      .strict()
      .default({}),
    lsm: z
      .object({
        grid: z.tuple([count, count, count]),
        excitatoryShare: z.number().min(0).max(1),
        lambda: positive,
        synapticScale: z.number().min(0),
        inputScaling: positive,
        steps: count,
        tau: z.number().min(1),
        threshold: positive,
      })
      .partial()
      .strict()
      .default({}),
  })
  .strict();
export type ClusteringOptionsInput = z.input<typeof ClusteringOptions>;

/** Options with every default filled in. */
export interface ResolvedOptions {
  method: Method;
  clusters: number | 'auto';
  seed: number;
  nInit: number;
  stabilityRuns: number;
  silhouetteMaxRows: number;
  hybridWeights: { esn: number; snn: number; lsm: number };
  reservoirs: ReservoirParams;
}

/** Validates options and fills in defaults; every problem is reported at once. */
export function resolveOptions(input: ClusteringOptionsInput = {}): ResolvedOptions {
  const parsed = ClusteringOptions.safeParse(input);
  if (!parsed.success) {
    throw new InvalidOptionsError(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'options'}: ${issue.message}`));
  }
  const o = parsed.data;
  return {
    method: o.method,
    clusters: o.clusters,
    seed: o.seed,
    nInit: o.nInit,
    stabilityRuns: o.stabilityRuns,
    silhouetteMaxRows: o.silhouetteMaxRows,
    hybridWeights: { esn: 1, snn: 1, lsm: 1, ...o.hybridWeights },
    reservoirs: {
      esn: { ...RESERVOIR_DEFAULTS.esn, ...o.esn },
      snn: { ...RESERVOIR_DEFAULTS.snn, ...o.snn },
      lsm: withOwnGrid({ ...RESERVOIR_DEFAULTS.lsm, ...o.lsm }),
    },
  };
}

/** A copy of the grid too, so that no caller can change the shared defaults through it. */
function withOwnGrid(params: LsmParams): LsmParams {
  return { ...params, grid: [...params.grid] };
}
