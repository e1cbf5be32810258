import { squaredDistance, zeros, type Matrix } from '../kmeans/matrix.js';

/** Centroid of each cluster (k × cols) and the sizes. */
export function clusterCentroids(points: Matrix, labels: Int32Array, k: number): { centroids: Matrix; sizes: Int32Array } {
  const { data, rows, cols } = points;
  const centroids = zeros(k, cols);
  const sizes = new Int32Array(k);
  for (let r = 0; r < rows; r++) {
    const l = labels[r]!;
    sizes[l]!++;
    for (let c = 0; c < cols; c++) centroids.data[l * cols + c]! += data[r * cols + c]!;
  }
  for (let l = 0; l < k; l++) {
    for (let c = 0; c < cols; c++) if (sizes[l]! > 0) centroids.data[l * cols + c]! /= sizes[l]!;
  }
  return { centroids, sizes };
}

/** Within-cluster sum of squared distances to the centroids. */
export function inertia(points: Matrix, labels: Int32Array, centroids: Matrix): number {
  let total = 0;
  for (let r = 0; r < points.rows; r++) total += squaredDistance(points.data, r, centroids.data, labels[r]!, points.cols);
  return total;
}

/**
 * Calinski–Harabasz index: between-cluster over within-cluster dispersion, each divided by its
 * degrees of freedom. Higher is better; 0 when it is undefined (one cluster, or no dispersion).
 */
export function calinskiHarabasz(points: Matrix, labels: Int32Array, k: number): number {
  const { rows, cols } = points;
  const { centroids, sizes } = clusterCentroids(points, labels, k);
  const overall = zeros(1, cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) overall.data[c]! += points.data[r * cols + c]! / rows;
  let between = 0;
  for (let l = 0; l < k; l++) between += sizes[l]! * squaredDistance(centroids.data, l, overall.data, 0, cols);
  const within = inertia(points, labels, centroids);
  const used = sizes.filter((s) => s > 0).length;
  if (used < 2 || within === 0 || rows <= used) return 0;
  return between / (used - 1) / (within / (rows - used));
}

/**
 * Davies–Bouldin index: mean over clusters of the worst ratio of summed spreads to centroid
 * distance. Lower is better; 0 is perfect separation.
 */
export function daviesBouldin(points: Matrix, labels: Int32Array, k: number): number {
  const { rows, cols } = points;
  const { centroids, sizes } = clusterCentroids(points, labels, k);
  const spread = new Float64Array(k);
  for (let r = 0; r < rows; r++) spread[labels[r]!]! += Math.sqrt(squaredDistance(points.data, r, centroids.data, labels[r]!, cols));
  for (let l = 0; l < k; l++) if (sizes[l]! > 0) spread[l]! /= sizes[l]!;
  let total = 0;
  let used = 0;
  for (let i = 0; i < k; i++) {
    if (sizes[i] === 0) continue;
    used++;
    let worst = 0;
    for (let j = 0; j < k; j++) {
      if (j === i || sizes[j] === 0) continue;
      const distance = Math.sqrt(squaredDistance(centroids.data, i, centroids.data, j, cols));
      // Coinciding centroids count as 0, as in scikit-learn, so the index stays finite.
      const ratio = distance > 0 ? (spread[i]! + spread[j]!) / distance : 0;
      worst = Math.max(worst, ratio);
    }
    total += worst;
  }
  return used > 0 ? total / used : 0;
}
