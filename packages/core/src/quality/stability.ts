import { randomStream } from '../random/seeded.js';
import { sampleIndices } from '../random/sample.js';
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
  /**
   * Rows each re-clustering is compared with the given labels on: all of them up to this many,
   * above it one seeded uniform sample of this many, the same for every run (default 10,000).
   */
  maxEvaluationRows?: number;
}

/**
 * Mean adjusted Rand index between the given labels and k-means re-clusterings of seeded
 * bootstrap samples, each extended by nearest centroid to every row (or, above
 * `maxEvaluationRows`, to a fixed seeded sample of rows). 1 means the clustering comes back
 * whatever sample it is fitted on; values under about 0.6 mean it is an artefact.
 */
export function bootstrapStability(points: Matrix, labels: Int32Array, options: StabilityOptions): number {
  const runs = options.runs ?? 10;
  const size = Math.min(points.rows, options.maxSampleSize ?? 10_000);
  const { rows: evaluated, labels: reference } = evaluationRows(points, labels, options);
  const predicted = new Int32Array(evaluated.rows);
  let total = 0;
  for (let run = 0; run < runs; run++) {
    const stream = randomStream(options.seed, `stability:${run}`);
    const indices = new Int32Array(size);
    for (let i = 0; i < size; i++) indices[i] = stream.int(points.rows);
    const sample = selectRows(points, indices);
    const k = Math.min(options.k, distinctRows(indices));
    const fit = kmeans(sample, { k, seed: options.seed, nInit: 3, streamKey: `stability-kmeans:${run}` });
    assign(evaluated, fit.centroids, predicted);
    total += adjustedRandIndex(reference, predicted);
  }
  return total / runs;
}

/**
 * The rows (and their labels) the re-clusterings are scored on. Re-assigning every row of a
 * million ten times costs more than the re-clusterings themselves, while the index on 10,000
 * uniformly drawn rows differs from the full one by a few thousandths (docs/methods.md).
 */
function evaluationRows(points: Matrix, labels: Int32Array, options: StabilityOptions): { rows: Matrix; labels: Int32Array } {
  const limit = options.maxEvaluationRows ?? 10_000;
  if (points.rows <= limit) return { rows: points, labels };
  const chosen = sampleIndices(points.rows, limit, options.seed, 'stability-evaluation');
  return { rows: selectRows(points, chosen), labels: Int32Array.from(chosen, (r) => labels[r]!) };
}

function distinctRows(indices: Int32Array): number {
  return new Set(indices).size;
}
