import type { Matrix } from '../kmeans/matrix.js';
import type { InputScaling } from '../reservoirs/input.js';
import type { Reservoir, ReservoirParams } from '../reservoirs/registry.js';
import type { EmbeddingTransform } from '../pipeline/embedding.js';
import type { Method } from '../pipeline/limits.js';

/** Version of the stored model's layout; `assign` refuses any other. */
export const MODEL_VERSION = 1;

/**
 * Everything needed to place a new person exactly as a clustering placed its own members: the
 * method and seed, the reservoir parameters, the input scaling fitted on the population, the
 * affine map from reservoir features to the clustering space, and the centroids k-means ended
 * with. Plain numbers only, so it survives JSON unchanged (doubles round-trip exactly).
 */
/**
 * Reservoir parameters as a stored model keeps them: the LSM grid as a plain array of its three
 * sides, the shape JSON (and clients generated from the API's document) give it back in.
 */
type StoredReservoirParams = Omit<ReservoirParams, 'lsm'> & { lsm: Omit<ReservoirParams['lsm'], 'grid'> & { grid: number[] } };

export interface ClusteringModel {
  version: typeof MODEL_VERSION;
  method: Method;
  seed: number;
  k: number;
  /** Reservoirs whose features feed the space, in block order; empty when k-means ran on the energies. */
  reservoirs: Reservoir[];
  /** Parameters of every reservoir the run was configured with. */
  reservoir_params: StoredReservoirParams;
  /** Input scaling of the clustered population (see InputScaling). */
  scaling: { centre: number[]; inverse_spread: number };
  /** The map into the clustering space; null when the space is the normalised energies themselves. */
  embedding: { combine: EmbeddingTransform['combine']; maps: { g: number[]; h: number[]; components: number }[] } | null;
  /** Width of the clustering space. */
  dimensions: number;
  /** Final k-means centroids in the clustering space, in k-means' own order (ties go to the first). */
  centroids: number[][];
  /** Cluster id (as reported in the result) of each centroid. */
  cluster_of: number[];
}

/** Builds the stored model of a finished run. */
export function buildModel(parts: {
  method: Method;
  seed: number;
  k: number;
  reservoirs: Reservoir[];
  reservoirParams: ReservoirParams;
  scaling: InputScaling;
  transform: EmbeddingTransform | null;
  centroids: Matrix;
  clusterOf: ArrayLike<number>;
}): ClusteringModel {
  const { centroids } = parts;
  return {
    version: MODEL_VERSION,
    method: parts.method,
    seed: parts.seed,
    k: parts.k,
    reservoirs: parts.transform ? [...parts.reservoirs] : [],
    reservoir_params: structuredClone(parts.reservoirParams),
    scaling: { centre: Array.from(parts.scaling.centre), inverse_spread: parts.scaling.inverseSpread },
    embedding: parts.transform
      ? {
          combine: parts.transform.combine,
          maps: parts.transform.maps.map((m) => ({ g: Array.from(m.g), h: Array.from(m.h), components: m.components })),
        }
      : null,
    dimensions: centroids.cols,
    centroids: Array.from({ length: centroids.rows }, (_, j) => Array.from(centroids.data.subarray(j * centroids.cols, (j + 1) * centroids.cols))),
    cluster_of: Array.from(parts.clusterOf),
  };
}
