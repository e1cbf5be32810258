import { columnStats, groupScales } from '../linalg/column-stats.js';
import { fitPca } from '../linalg/pca.js';
import type { Matrix } from '../kmeans/matrix.js';
import { sampleIndices } from '../random/sample.js';
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
  { ok: true; space: Matrix; components: Partial<Record<Reservoir, number>>; transform: EmbeddingTransform } | { ok: false; reason: string };

/** Leading principal components kept per block, and in the end, at most. */
const MAX_COMPONENTS = 8;
/** Rows the principal axes are fitted on at most (a seeded sample above). */
const MAX_FIT_ROWS = 10_000;

/**
 * The fitted affine map from raw reservoir features to the clustering space, kept so that a new
 * person can be placed by the very arithmetic that placed the clustering's own members.
 */
export interface EmbeddingTransform {
  /** One map per block, in the order of the blocks. */
  maps: BlockMap[];
  /** Whether the mapped blocks are placed side by side (one block) or added up (several). */
  combine: 'side-by-side' | 'summed';
}

/** A block's map from raw features to its weighted components: q = x · G + h. */
interface BlockMap {
  /** raw width × components, row-major. */
  g: Float64Array;
  h: Float64Array;
  components: number;
}

/**
 * Turns reservoir feature blocks into the clustering space, as one affine map fitted on a seeded
 * sample of at most 10,000 rows and then applied to every row in a single pass:
 *
 * 1. each group of like features is centred and scaled as a whole to unit total variance;
 * 2. each block is projected onto its leading principal components (99 % of the variance, at
 *    most 8), scaled to unit total variance and multiplied by its weight;
 * 3. with several blocks, the blocks side by side are projected once more onto their leading
 *    components, since every reservoir sees the same profile and their components overlap.
 *
 * Degenerate features (NaN, infinity, or no variance at all) are reported instead, so the
 * caller can fall back openly.
 */
export function embedBlocks(blocks: readonly FeatureBlock[], seed: number): Embedding {
  const rows = blocks[0]!.raw.rows;
  const sample = rows > MAX_FIT_ROWS ? sampleIndices(rows, MAX_FIT_ROWS, seed, 'embedding-sample') : null;
  const fitRows = sample ? sample.length : rows;
  const maps: BlockMap[] = [];
  const sampled: Matrix[] = [];
  const components: Partial<Record<Reservoir, number>> = {};
  for (const block of blocks) {
    const stats = columnStats(block.raw);
    if (!stats.finite) return { ok: false, reason: `${block.reservoir} features contain NaN or infinite values` };
    const scale = groupScales(stats, block.groups);
    if (scale.every((s) => s === 0)) return { ok: false, reason: `${block.reservoir} features do not vary across people` };
    const fitted = selectedRows(block.raw, sample);
    const pca = fitPca(scaledRows(block.raw, sample, stats.mean, scale), { maxComponents: MAX_COMPONENTS });
    const map = blockMap(pca.basis, pca.components, pca.mean, stats.mean, scale);
    const factor = block.weight / Math.sqrt(totalVariance(applyMaps([map], [fitted], fitRows, 'side-by-side')));
    scaleMap(map, Number.isFinite(factor) ? factor : block.weight);
    maps.push(map);
    sampled.push(fitted);
    components[block.reservoir] = pca.components;
  }
  const inputs = blocks.map((b) => b.raw);
  const transform: EmbeddingTransform =
    blocks.length > 1 ? { maps: finalProjection(maps, sampled, fitRows), combine: 'summed' } : { maps, combine: 'side-by-side' };
  const space = applyTransform(transform, inputs, rows);
  return { ok: true, space, components, transform };
}

/** Maps raw feature blocks (one matrix per block, `rows` rows each) into the clustering space. */
export function applyTransform(transform: EmbeddingTransform, inputs: readonly Matrix[], rows: number): Matrix {
  return applyMaps(transform.maps, inputs, rows, transform.combine);
}

/** The rows of the sample (all rows without one), centred and group-scaled. */
function scaledRows(raw: Matrix, sample: Int32Array | null, mean: Float64Array, scale: Float64Array): Matrix {
  const { data, cols } = raw;
  const count = sample ? sample.length : raw.rows;
  const out = new Float64Array(count * cols);
  for (let s = 0; s < count; s++) {
    const r = sample ? sample[s]! : s;
    for (let c = 0; c < cols; c++) out[s * cols + c] = (data[r * cols + c]! - mean[c]!) * scale[c]!;
  }
  return { data: out, rows: count, cols };
}

function selectedRows(raw: Matrix, sample: Int32Array | null): Matrix {
  if (!sample) return raw;
  const { data, cols } = raw;
  const out = new Float64Array(sample.length * cols);
  for (let s = 0; s < sample.length; s++) out.set(data.subarray(sample[s]! * cols, sample[s]! * cols + cols), s * cols);
  return { data: out, rows: sample.length, cols };
}

/**
 * q = ((x − mean) ⊙ scale − pcaMean) · basisᵀ, written as x · G + h with G = diag(scale) · basisᵀ
 * and h = −(mean ⊙ scale + pcaMean) · basisᵀ.
 */
function blockMap(basis: Float64Array, components: number, pcaMean: Float64Array, mean: Float64Array, scale: Float64Array): BlockMap {
  const cols = mean.length;
  const g = new Float64Array(cols * components);
  const h = new Float64Array(components);
  for (let k = 0; k < components; k++) {
    let offset = 0;
    for (let c = 0; c < cols; c++) {
      const axis = basis[k * cols + c]!;
      g[c * components + k] = scale[c]! * axis;
      offset += (mean[c]! * scale[c]! + pcaMean[c]!) * axis;
    }
    h[k] = -offset;
  }
  return { g, h, components };
}

/** Multiplies a block's map by its weight factor, in place. */
function scaleMap(map: BlockMap, factor: number): void {
  for (let i = 0; i < map.g.length; i++) map.g[i]! *= factor;
  for (let k = 0; k < map.h.length; k++) map.h[k]! *= factor;
}

/**
 * Applies each block's map to its rows, either placing the results side by side
 * ([x₁G₁ + h₁, x₂G₂ + h₂, …]) or adding them up (Σ xᵦGᵦ + hᵦ, for maps into one shared space).
 */
function applyMaps(maps: readonly BlockMap[], inputs: readonly Matrix[], rows: number, combine: 'side-by-side' | 'summed'): Matrix {
  const width = combine === 'summed' ? maps[0]!.components : maps.reduce((sum, m) => sum + m.components, 0);
  const out = new Float64Array(rows * width);
  let offset = 0;
  maps.forEach((map, b) => {
    const { data, cols } = inputs[b]!;
    const { g, h, components } = map;
    for (let r = 0; r < rows; r++) {
      const o = r * width + offset;
      for (let k = 0; k < components; k++) out[o + k]! += h[k]!;
      for (let c = 0; c < cols; c++) {
        const x = data[r * cols + c]!;
        if (x === 0) continue;
        for (let k = 0; k < components; k++) out[o + k]! += x * g[c * components + k]!;
      }
    }
    if (combine === 'side-by-side') offset += components;
  });
  return { data: out, rows, cols: width };
}

/**
 * Folds one more principal projection of the side-by-side blocks into each block's map, so that
 * adding up the mapped blocks gives the final space directly: Mᵦ = Gᵦ · Fᵦᵀ and
 * hᵦ' = (hᵦ − meanᵦ) · Fᵦᵀ, where F holds the final axes and meanᵦ the block's part of their centre.
 */
function finalProjection(maps: readonly BlockMap[], sampled: readonly Matrix[], fitRows: number): BlockMap[] {
  const side = applyMaps(maps, sampled, fitRows, 'side-by-side');
  const pca = fitPca(side, { maxComponents: MAX_COMPONENTS });
  const m = pca.components;
  const total = side.cols;
  let offset = 0;
  return maps.map((map) => {
    const cols = map.g.length / map.components;
    const g = new Float64Array(cols * m);
    const h = new Float64Array(m);
    for (let k = 0; k < m; k++) {
      for (let j = 0; j < map.components; j++) {
        const axis = pca.basis[k * total + offset + j]!;
        for (let c = 0; c < cols; c++) g[c * m + k]! += map.g[c * map.components + j]! * axis;
        h[k]! += (map.h[j]! - pca.mean[offset + j]!) * axis;
      }
    }
    offset += map.components;
    return { g, h, components: m };
  });
}

function totalVariance(m: Matrix): number {
  const stats = columnStats(m);
  return stats.variance.reduce((a, b) => a + b, 0);
}
