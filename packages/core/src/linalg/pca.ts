import { EigenvalueDecomposition, Matrix as MlMatrix } from 'ml-matrix';
import type { Matrix } from '../kmeans/matrix.js';

/** Options of {@link fitPca}. */
export interface PcaOptions {
  /** Keep the fewest leading components that explain this share of the variance (default 0.99). */
  varianceKept?: number;
  /** Keep at most this many components (default 8). */
  maxComponents?: number;
}

/** Principal axes of a set of rows: project with (x − mean) · basisᵀ. */
export interface PcaFit {
  /** Column means of the fitted rows. */
  mean: Float64Array;
  /** components × cols, row-major: one unit axis per row, by decreasing variance. */
  basis: Float64Array;
  components: number;
  /** Share of the variance each kept component explains. */
  explained: number[];
}

/**
 * Fits the leading principal axes of the rows of `m` (their covariance, eigen-decomposed with
 * ml-matrix). Callers fit on a sample and apply the axes to every row.
 */
export function fitPca(m: Matrix, options: PcaOptions = {}): PcaFit {
  const { data, rows, cols } = m;
  const mean = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) mean[c]! += data[r * cols + c]!;
  for (let c = 0; c < cols; c++) mean[c]! /= rows;
  const covariance = new Float64Array(cols * cols);
  const centred = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) centred[c] = data[r * cols + c]! - mean[c]!;
    for (let i = 0; i < cols; i++) {
      const ci = centred[i]!;
      for (let j = i; j < cols; j++) covariance[i * cols + j]! += ci * centred[j]!;
    }
  }
  const symmetric = new MlMatrix(cols, cols);
  for (let i = 0; i < cols; i++) {
    for (let j = i; j < cols; j++) {
      const v = covariance[i * cols + j]! / rows;
      symmetric.set(i, j, v);
      symmetric.set(j, i, v);
    }
  }
  const evd = new EigenvalueDecomposition(symmetric, { assumeSymmetric: true });
  const order = evd.realEigenvalues.map((value, index) => ({ value: Math.max(0, value), index })).sort((a, b) => b.value - a.value);
  const total = order.reduce((sum, e) => sum + e.value, 0);
  const kept: number[] = [];
  const explained: number[] = [];
  let covered = 0;
  for (const e of order) {
    if (kept.length >= (options.maxComponents ?? 8)) break;
    if (kept.length > 0 && covered >= (options.varianceKept ?? 0.99) * total) break;
    kept.push(e.index);
    explained.push(total > 0 ? e.value / total : 0);
    covered += e.value;
  }
  const vectors = evd.eigenvectorMatrix;
  const basis = new Float64Array(kept.length * cols);
  kept.forEach((index, k) => {
    for (let c = 0; c < cols; c++) basis[k * cols + c] = vectors.get(c, index);
  });
  return { mean, basis, components: kept.length, explained };
}
