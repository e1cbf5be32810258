import type { ClusterSummary } from '../interpret/clusters.js';
import type { SkippedRow } from '../profiles/types.js';
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
