import { standardiseGroups } from '../linalg/standardise.js';
import { principalComponents } from '../linalg/pca.js';
import type { Matrix } from '../kmeans/matrix.js';
import type { Reservoir } from '../reservoirs/registry.js';

/** One reservoir's raw features and its weight in the combined space. */
export interface FeatureBlock {
  reservoir: Reservoir;
  raw: Matrix;
  /** Widths of the groups of like features in `raw` (see featureGroups). */
  groups: number[];
  weight: number;
}

/** The space k-means runs in, or why none could be built. */
export type Embedding =
  | { ok: true; space: Matrix; components: Partial<Record<Reservoir, number>> }
  | { ok: false; reason: string };

/** Leading principal components kept per reservoir block at most. */
const MAX_COMPONENTS = 8;

/**
 * Turns reservoir feature blocks into the clustering space: each block is centred and scaled per group of like features,
 * reduced to its leading principal components, scaled to unit total variance and multiplied by
 * its weight, then the blocks are placed side by side and projected once more onto their
 * leading components. Degenerate features (NaN, infinity, or
 * no variance at all) are reported instead, so the caller can fall back openly.
 */
export function embedBlocks(blocks: readonly FeatureBlock[], seed: number): Embedding {
  const reduced: Matrix[] = [];
  const components: Partial<Record<Reservoir, number>> = {};
  for (const block of blocks) {
    const standardised = standardiseGroups(block.raw, block.groups);
    if (standardised.nonFinite) return { ok: false, reason: `${block.reservoir} features contain NaN or infinite values` };
    if (standardised.matrix.cols === 0) return { ok: false, reason: `${block.reservoir} features do not vary across people` };
    const { projected } = principalComponents(standardised.matrix, { seed, maxComponents: MAX_COMPONENTS });
    scaleToUnitVariance(projected, block.weight);
    reduced.push(projected);
    components[block.reservoir] = projected.cols;
  }
  if (reduced.length === 1) return { ok: true, space: reduced[0]!, components };
  // Several blocks: their components overlap (every reservoir sees the same profile), so one more
  // projection keeps k-means, the stability re-clusterings and memory to at most 8 columns.
  const combined = principalComponents(sideBySide(reduced), { seed, maxComponents: MAX_COMPONENTS });
  return { ok: true, space: combined.projected, components };
}

function scaleToUnitVariance(m: Matrix, weight: number): void {
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
  let total = 0;
  for (let c = 0; c < cols; c++) total += sumSq[c]! / rows - (sum[c]! / rows) ** 2;
  const factor = total > 0 ? weight / Math.sqrt(total) : weight;
  for (let i = 0; i < data.length; i++) data[i]! *= factor;
}

function sideBySide(blocks: readonly Matrix[]): Matrix {
  const rows = blocks[0]!.rows;
  const cols = blocks.reduce((sum, b) => sum + b.cols, 0);
  const data = new Float64Array(rows * cols);
  let offset = 0;
  for (const block of blocks) {
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < block.cols; c++) data[r * cols + offset + c] = block.data[r * block.cols + c]!;
    }
    offset += block.cols;
  }
  return { data, rows, cols };
}
