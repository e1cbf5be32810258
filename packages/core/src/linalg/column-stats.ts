import type { Matrix } from '../kmeans/matrix.js';

/** Mean and variance of every column, and whether all values are finite. */
export interface ColumnStats {
  mean: Float64Array;
  variance: Float64Array;
  finite: boolean;
}

/** Column statistics in one pass over the rows (streaming through memory, not down columns). */
export function columnStats(m: Matrix): ColumnStats {
  const { data, rows, cols } = m;
  const sum = new Float64Array(cols);
  const sumSq = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = data[r * cols + c]!;
      sum[c]! += v;
      sumSq[c]! += v * v;
    }
  }
  const mean = new Float64Array(cols);
  const variance = new Float64Array(cols);
  let finite = true;
  for (let c = 0; c < cols; c++) {
    if (!Number.isFinite(sumSq[c]!)) finite = false;
    mean[c] = sum[c]! / rows;
    variance[c] = Math.max(0, sumSq[c]! / rows - mean[c]! ** 2);
  }
  return { mean, variance, finite };
}

/**
 * Per-column factors that scale each group of columns (consecutive widths in `groups`) as a
 * whole to unit total variance; 0 for groups that do not vary. Scaling per group rather than per
 * column keeps the geometry a reservoir gives its people: z-scoring each unit separately would
 * blow up the directions in which people hardly differ, and with them the noise.
 */
export function groupScales(stats: ColumnStats, groups: readonly number[]): Float64Array {
  const cols = stats.mean.length;
  if (groups.reduce((a, b) => a + b, 0) !== cols) throw new RangeError(`groups cover ${groups.join('+')} columns, matrix has ${cols}`);
  const scale = new Float64Array(cols);
  let first = 0;
  for (const width of groups) {
    let total = 0;
    let magnitude = 0;
    for (let c = first; c < first + width; c++) {
      total += stats.variance[c]!;
      magnitude += stats.mean[c]! ** 2;
    }
    if (total > 1e-18 * Math.max(1, magnitude)) for (let c = first; c < first + width; c++) scale[c] = 1 / Math.sqrt(total);
    first += width;
  }
  return scale;
}
