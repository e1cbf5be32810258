import type { ClusterSummary } from '../interpret/clusters.js';
import type { SkippedRow } from '../profiles/types.js';
import type { ClusterIdentity } from '../model/identity.js';
import type { ClusteringModel } from '../model/model.js';
import type { Method } from './limits.js';

/** Quality of a clustering, measured in the normalised energy space so methods compare fairly. */
export interface QualityScores {
  /** Mean silhouette, −1..1 (higher is better). */
  silhouette: number;
  /** Rows the silhouette was computed on (all up to the exact limit, a seeded sample above). */
  silhouette_sample_size: number;
  /** Calinski–Harabasz index (higher is better). */
  calinski_harabasz: number;
  /** Davies–Bouldin index (lower is better). */
  davies_bouldin: number;
  /** Within-cluster sum of squared distances, in squared percentage points. */
  inertia: number;
  /** Mean ARI of bootstrap re-clusterings against the result, 0..1; null when `stabilityRuns` is 0. */
  stability: number | null;
}

/** One point of the `--clusters auto` curve. */
export interface AutoKPoint {
  k: number;
  silhouette: number;
  stability: number;
}

/**
 * How the members of `hybrid` contributed: their weights in the combined space and how far their
 * own clusterings agree, overall and per final cluster.
 */
export interface HybridContribution {
  /** Weight of each reservoir's block in the space k-means ran in, summing to 1. */
  weights: Record<string, number>;
  /** Mean adjusted Rand index of each reservoir's own clustering with the others', 0..1. */
  agreement: Record<string, number>;
  /**
   * Per cluster (index = cluster id): the share of its people whom the reservoirs, each
   * clustering alone, also put together, 0..1; null when the sample holds none of them.
   */
  consensus: (number | null)[];
  /** People the members were clustered on alone (all of them up to 5,000, a seeded sample above). */
  sample_size: number;
}

/** What `insights cluster --format json` prints, and what the worker stores. */
export interface ClusteringResult {
  method: Method;
  k: number;
  seed: number;
  n: number;
  assignments: { employee_id: string; cluster: number }[];
  clusters: ClusterSummary[];
  quality: QualityScores;
  /** The curve k was chosen from, when `clusters` was `auto`. */
  auto_k: { chosen: number; curve: AutoKPoint[] } | null;
  /** Whether k-means on the energies replaced the method's features, and why. */
  fallback: { used: boolean; reason: string | null };
  /** Principal components kept per reservoir block. */
  feature_components: Record<string, number>;
  /** Only for `hybrid` (and not after a fallback): what each reservoir contributed. */
  hybrid?: HybridContribution;
  /** What `assign` needs to place new people exactly as this run placed its members. */
  model: ClusteringModel;
  /** With an earlier result to follow (`--previous`): ids stable across runs, and who moved. */
  identity?: ClusterIdentity;
  skipped: SkippedRow[];
  /**
   * Milliseconds per stage: `sort` (rows into canonical order), `features`, `clustering`,
   * `quality`, and their `total`. Callers that do more add their own stages (the CLI: `start`,
   * `read`, `parse`, `teams`, `write`) and make `total` cover them.
   */
  timings_ms: {
    start?: number;
    read?: number;
    parse?: number;
    sort: number;
    features: number;
    clustering: number;
    quality: number;
    teams?: number;
    write?: number;
    total: number;
  };
}
