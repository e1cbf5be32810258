import { sampleIndices } from '../random/sample.js';
import { selectRows, type Matrix } from '../kmeans/matrix.js';

/** Outcome of {@link silhouette}. */
export interface SilhouetteScore {
  /** Mean silhouette coefficient in [-1, 1]. */
  value: number;
  /** Rows the score was computed on: all of them up to `maxExactRows`, a seeded sample above. */
  sampleSize: number;
}

/**
 * Mean silhouette coefficient (Rousseeuw 1987). Exact up to `maxExactRows` rows (default
 * 10,000); above that it is computed on a seeded uniform sample of that many rows, and the sample
 * size is reported. Rows in singleton clusters score 0, as in scikit-learn.
 */
export function silhouette(
  points: Matrix,
  labels: Int32Array,
  k: number,
  options: { seed: number; maxExactRows?: number },
): SilhouetteScore {
  const limit = options.maxExactRows ?? 10_000;
  if (points.rows <= limit) return { value: exactSilhouette(points, labels, k), sampleSize: points.rows };
  const sample = sampleIndices(points.rows, limit, options.seed, 'silhouette-sample');
  const sampleLabels = new Int32Array(sample.length);
  for (let i = 0; i < sample.length; i++) sampleLabels[i] = labels[sample[i]!]!;
  return { value: exactSilhouette(selectRows(points, sample), sampleLabels, k), sampleSize: sample.length };
}

function exactSilhouette(points: Matrix, labels: Int32Array, k: number): number {
  const { data, rows, cols } = points;
  const sizes = new Int32Array(k);
  for (let i = 0; i < rows; i++) sizes[labels[i]!]!++;
  // sums[i*k + j] accumulates distances from row i to every row of cluster j; each pair once.
  const sums = new Float64Array(rows * k);
  for (let i = 0; i < rows; i++) {
    const li = labels[i]!;
    const io = i * cols;
    for (let j = i + 1; j < rows; j++) {
      const jo = j * cols;
      let s = 0;
      for (let c = 0; c < cols; c++) {
        const diff = data[io + c]! - data[jo + c]!;
        s += diff * diff;
      }
      const d = Math.sqrt(s);
      sums[i * k + labels[j]!]! += d;
      sums[j * k + li]! += d;
    }
  }
  let total = 0;
  for (let i = 0; i < rows; i++) {
    const own = labels[i]!;
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
