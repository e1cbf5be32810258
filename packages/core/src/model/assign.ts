import { InvalidOptionsError } from '../errors.js';
import { squaredDistance, type Matrix } from '../kmeans/matrix.js';
import { applyTransform, type EmbeddingTransform } from '../pipeline/embedding.js';
import type { ProfileSet } from '../profiles/types.js';
import { extractFeatures, featureWidth, RESERVOIRS, type ReservoirParams } from '../reservoirs/registry.js';
import { MODEL_VERSION, type ClusteringModel } from './model.js';

/** Where `assign` placed one person. */
export interface Placement {
  employee_id: string;
  cluster: number;
  /** Euclidean distance to the cluster's centroid, in the clustering space. */
  distance: number;
  /** Distance to the next nearest centroid minus `distance` (0 means a tie; Infinity when k = 1). */
  margin: number;
  /** Whether the margin is below `borderlineRatio` of the distance to the next nearest centroid. */
  borderline: boolean;
}

/** Options of `assign`. */
export interface AssignOptions {
  /** A placement is borderline when margin < ratio × distance to the next centroid (default 0.1). */
  borderlineRatio?: number;
}

/**
 * Places people into the clusters of a stored model, in input order, by the same computation
 * the clustering ran: the model's input scaling, the reservoirs' per-person features, the fitted
 * map into the clustering space, and the nearest of the final centroids. Assigning a
 * clustering's own members therefore gives back exactly its labels.
 */
export function assign(model: ClusteringModel, profiles: ProfileSet, options: AssignOptions = {}): Placement[] {
  checkModel(model);
  const ratio = options.borderlineRatio ?? 0.1;
  const rows = profiles.ids.length;
  const space = spaceOf(model, profiles);
  const k = model.centroids.length;
  const cols = model.dimensions;
  const centroids = Float64Array.from(model.centroids.flat());
  const out = new Array<Placement>(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    let bestDistance = Infinity;
    let next = Infinity;
    for (let j = 0; j < k; j++) {
      const d = squaredDistance(space.data, r, centroids, j, cols);
      // Strictly less, as k-means itself assigns: a tie goes to the first centroid.
      if (d < bestDistance) {
        next = bestDistance;
        bestDistance = d;
        best = j;
      } else if (d < next) next = d;
    }
    const distance = Math.sqrt(bestDistance);
    const second = Math.sqrt(next);
    const margin = second - distance;
    out[r] = { employee_id: profiles.ids[r]!, cluster: model.cluster_of[best]!, distance, margin, borderline: margin < ratio * second };
  }
  return out;
}

/** The people's coordinates in the model's clustering space. */
function spaceOf(model: ClusteringModel, profiles: ProfileSet): Matrix {
  const rows = profiles.ids.length;
  if (!model.embedding) return { data: profiles.energies, rows, cols: 4 };
  const scaling = { centre: Float64Array.from(model.scaling.centre), inverseSpread: model.scaling.inverse_spread };
  const { lsm, ...others } = model.reservoir_params;
  // checkModel made sure the grid has three sides.
  const params: ReservoirParams = { ...others, lsm: { ...lsm, grid: [lsm.grid[0]!, lsm.grid[1]!, lsm.grid[2]!] } };
  const inputs = model.reservoirs.map((reservoir) => {
    const width = featureWidth(reservoir, params);
    const data = new Float64Array(rows * width);
    extractFeatures(reservoir, { energies: profiles.energies, ids: profiles.ids, scaling }, params, model.seed, data);
    return { data, rows, cols: width };
  });
  const transform: EmbeddingTransform = {
    combine: model.embedding.combine,
    maps: model.embedding.maps.map((m) => ({ g: Float64Array.from(m.g), h: Float64Array.from(m.h), components: m.components })),
  };
  return applyTransform(transform, inputs, rows);
}

/** Refuses a model this version cannot read, or one whose parts do not fit together. */
function checkModel(model: ClusteringModel): void {
  const problems: string[] = [];
  if (model === null || typeof model !== 'object') throw new InvalidOptionsError(['model: not an object']);
  if (model.version !== MODEL_VERSION) problems.push(`model.version: expected ${MODEL_VERSION}, got ${String(model.version)}`);
  if (!Array.isArray(model.centroids) || model.centroids.length < 1) problems.push('model.centroids: expected at least one centroid');
  else if (model.centroids.some((c) => !Array.isArray(c) || c.length !== model.dimensions || c.some((x) => !Number.isFinite(x))))
    problems.push(`model.centroids: every centroid must hold ${model.dimensions} finite numbers`);
  if (!Array.isArray(model.cluster_of) || model.cluster_of.length !== model.centroids?.length)
    problems.push('model.cluster_of: one cluster id per centroid expected');
  if (model.embedding) {
    if (!Array.isArray(model.reservoirs) || model.reservoirs.some((r) => !(RESERVOIRS as readonly string[]).includes(r)))
      problems.push('model.reservoirs: unknown reservoir');
    else if (model.embedding.maps.length !== model.reservoirs.length) problems.push('model.embedding.maps: one map per reservoir expected');
    const grid = model.reservoir_params?.lsm?.grid;
    if (!Array.isArray(grid) || grid.length !== 3 || grid.some((side) => !Number.isInteger(side) || side < 1))
      problems.push('model.reservoir_params.lsm.grid: expected three whole numbers');
  } else if (model.dimensions !== 4) problems.push('model.dimensions: a model without embedding clusters the 4 energies');
  if (problems.length > 0) throw new InvalidOptionsError(problems);
}
