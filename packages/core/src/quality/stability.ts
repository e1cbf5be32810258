import { randomStream } from '../random/seeded.js';
import { assign, kmeans } from '../kmeans/kmeans.js';
import { selectRows, type Matrix } from '../kmeans/matrix.js';
import { adjustedRandIndex } from './adjusted-rand-index.js';

/** Options of {@link bootstrapStability}. */
export interface StabilityOptions {
  k: number;
  seed: number;
  /** Bootstrap re-clusterings (default 10). */
  runs?: number;
  /** Rows drawn (with replacement) per bootstrap: all of them up to this many (default 10,000). */
  maxSampleSize?: number;
}

/**
 * Mean adjusted Rand index between the given labels and k-means re-clusterings of seeded
 * bootstrap samples, each extended to every row by nearest centroid. 1 means the clustering
 * comes back whatever sample it is fitted on; values under about 0.6 mean it is an artefact.
 */
export function bootstrapStability(points: Matrix, labels: Int32Array, options: StabilityOptions): number {
  const runs = options.runs ?? 10;
  const size = Math.min(points.rows, options.maxSampleSize ?? 10_000);
  const predicted = new Int32Array(points.rows);
  let total = 0;
  for (let run = 0; run < runs; run++) {
    const stream = randomStream(options.seed, `stability:${run}`);
    const indices = new Int32Array(size);
    for (let i = 0; i < size; i++) indices[i] = stream.int(points.rows);
    const sample = selectRows(points, indices);
    const k = Math.min(options.k, distinctRows(indices));
    const fit = kmeans(sample, { k, seed: options.seed, nInit: 3, streamKey: `stability-kmeans:${run}` });
    assign(points, fit.centroids, predicted);
    total += adjustedRandIndex(labels, predicted);
  }
  return total / runs;
}

function distinctRows(indices: Int32Array): number {
  return new Set(indices).size;
}
