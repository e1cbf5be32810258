import type { Matrix } from '../kmeans/matrix.js';

/** Outcome of {@link standardiseGroups}. */
export interface Standardised {
  /** The columns of the groups that vary, centred, each group scaled to unit total variance. */
  matrix: Matrix;
  /** Columns dropped because their group did not vary. */
  droppedColumns: number;
  /** Whether any value was NaN or infinite. */
  nonFinite: boolean;
}

/**
 * Centres every column and scales each group of columns (consecutive widths in `groups`) as a
 * whole to unit total variance. Scaling per group rather than per column keeps the geometry a
 * reservoir gives its people: z-scoring each unit separately would blow up the directions in
 * which people hardly differ, and with them the noise. Groups that do not vary are dropped.
 */
export function standardiseGroups(m: Matrix, groups: readonly number[]): Standardised {
  const { data, rows, cols } = m;
  if (groups.reduce((a, b) => a + b, 0) !== cols) throw new RangeError(`groups cover ${groups.join('+')} columns, matrix has ${cols}`);
  const mean = new Float64Array(cols);
  const variance = new Float64Array(cols);
  // Row by row, so that the passes stream through memory instead of striding down columns.
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) mean[c]! += data[r * cols + c]!;
  for (let c = 0; c < cols; c++) {
    if (!Number.isFinite(mean[c]!)) return { matrix: { data: new Float64Array(0), rows, cols: 0 }, droppedColumns: cols, nonFinite: true };
    mean[c]! /= rows;
  }
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) variance[c]! += (data[r * cols + c]! - mean[c]!) ** 2;
  }
  for (let c = 0; c < cols; c++) variance[c]! /= rows;
  const keep: number[] = [];
  const scale = new Float64Array(cols);
  let first = 0;
  for (const width of groups) {
    let total = 0;
    let magnitude = 0;
    for (let c = first; c < first + width; c++) {
      total += variance[c]!;
      magnitude += mean[c]! ** 2;
    }
    if (total > 1e-18 * Math.max(1, magnitude)) {
      for (let c = first; c < first + width; c++) {
        keep.push(c);
        scale[c] = 1 / Math.sqrt(total);
      }
    }
    first += width;
  }
  const out = new Float64Array(rows * keep.length);
  for (let r = 0; r < rows; r++) {
    for (let k = 0; k < keep.length; k++) {
      const c = keep[k]!;
      out[r * keep.length + k] = (data[r * cols + c]! - mean[c]!) * scale[c]!;
    }
  }
  return { matrix: { data: out, rows, cols: keep.length }, droppedColumns: cols - keep.length, nonFinite: false };
}
