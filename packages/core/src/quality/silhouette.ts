import { CLUSTERING_LIMITS } from '../pipeline/limits.js';
import { sampleIndices } from '../random/sample.js';
import { selectRows, type Matrix } from '../kmeans/matrix.js';

/** Outcome of {@link silhouette}. */
export interface SilhouetteScore {
  /** Mean silhouette coefficient in [-1, 1]. */
  value: number;
  /** Rows the score was computed on: all of them up to `maxExactRows`, a seeded sample above. */
  sampleSize: number;
}

/** Default of `maxExactRows` in {@link silhouette}: the clustering option's own default. */
const DEFAULT_SILHOUETTE_ROWS = CLUSTERING_LIMITS.silhouetteMaxRows.default;

/**
 * Mean silhouette coefficient (Rousseeuw 1987). Exact up to `maxExactRows` rows (default
 * 4,000); above that it is computed on a seeded uniform sample of that many rows, and the sample
 * size is reported. Its cost grows with the square of the rows scored: on the benchmark data a
 * 4,000-row sample is within 0.006 of the exact mean silhouette at a sixth of the cost of 10,000
 * rows (docs/methods.md). Rows in singleton clusters score 0, as in scikit-learn.
 */
export function silhouette(points: Matrix, labels: Int32Array, k: number, options: { seed: number; maxExactRows?: number }): SilhouetteScore {
  const limit = options.maxExactRows ?? DEFAULT_SILHOUETTE_ROWS;
  if (points.rows <= limit) return { value: exactSilhouette(points, labels, k), sampleSize: points.rows };
  const sample = sampleIndices(points.rows, limit, options.seed, 'silhouette-sample');
  const sampleLabels = new Int32Array(sample.length);
  for (let i = 0; i < sample.length; i++) sampleLabels[i] = labels[sample[i]!]!;
  return { value: exactSilhouette(selectRows(points, sample), sampleLabels, k), sampleSize: sample.length };
}

function exactSilhouette(points: Matrix, labels: Int32Array, k: number): number {
  const { rows } = points;
  const sizes = new Int32Array(k);
  for (let i = 0; i < rows; i++) sizes[labels[i]!]!++;
  // Rows sorted by cluster, so that for each row the distances to one cluster are summed over a
  // contiguous range into a local variable; each pair is still computed once.
  const order = Int32Array.from({ length: rows }, (_, i) => i).sort((a, b) => labels[a]! - labels[b]! || a - b);
  const start = new Int32Array(k + 1);
  for (let c = 0; c < k; c++) start[c + 1] = start[c]! + sizes[c]!;
  const sorted = selectRows(points, order);
  const sortedLabels = Int32Array.from(order, (i) => labels[i]!);
  const sums = pairwiseSums(sorted, sortedLabels, start, k);
  let total = 0;
  for (let i = 0; i < rows; i++) {
    const own = sortedLabels[i]!;
    if (sizes[own]! <= 1) continue;
    const a = sums[i * k + own]! / (sizes[own]! - 1);
    let b = Infinity;
    for (let j = 0; j < k; j++) {
      if (j === own || sizes[j] === 0) continue;
      b = Math.min(b, sums[i * k + j]! / sizes[j]!);
    }
    const m = Math.max(a, b);
    if (m > 0 && Number.isFinite(b)) total += (b - a) / m;
  }
  return total / rows;
}

/** sums[i·k + c]: the summed distance from row i to every row of cluster c (rows sorted by cluster). */
function pairwiseSums(points: Matrix, labels: Int32Array, start: Int32Array, k: number): Float64Array {
  const { data, rows, cols } = points;
  const sums = new Float64Array(rows * k);
  for (let i = 0; i < rows; i++) {
    const li = labels[i]!;
    const io = i * cols;
    for (let c = li; c < k; c++) {
      let acc = 0;
      const from = Math.max(i + 1, start[c]!);
      for (let j = from; j < start[c + 1]!; j++) {
        const jo = j * cols;
        let s = 0;
        for (let d = 0; d < cols; d++) {
          const diff = data[io + d]! - data[jo + d]!;
          s += diff * diff;
        }
        const distance = Math.sqrt(s);
        acc += distance;
        sums[j * k + li]! += distance;
      }
      sums[i * k + c]! += acc;
    }
  }
  return sums;
}
