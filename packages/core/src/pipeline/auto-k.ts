import { kmeans } from '../kmeans/kmeans.js';
import type { Matrix } from '../kmeans/matrix.js';
import { silhouette } from '../quality/silhouette.js';
import { bootstrapStability } from '../quality/stability.js';
import { AUTO_K } from './limits.js';
import type { AutoKPoint } from './result.js';

/**
 * Chooses k in 2..10 (at most n−1): the best silhouette (measured on the energies) among the
 * values whose bootstrap stability reaches 0.8; the best silhouette overall if none does.
 */
export function chooseK(
  space: Matrix,
  energies: Matrix,
  options: { seed: number; nInit: number; stabilityRuns: number },
): { chosen: number; curve: AutoKPoint[] } {
  const curve: AutoKPoint[] = [];
  const maxK = Math.min(AUTO_K.max, space.rows - 1);
  for (let k = AUTO_K.min; k <= maxK; k++) {
    const fit = kmeans(space, { k, seed: options.seed, nInit: options.nInit, streamKey: `auto-k:${k}` });
    const score = silhouette(energies, fit.labels, k, { seed: options.seed, maxExactRows: 2_000 });
    const stability = bootstrapStability(space, fit.labels, {
      k,
      seed: options.seed,
      runs: Math.max(1, Math.min(options.stabilityRuns, 5)),
      maxSampleSize: 5_000,
    });
    curve.push({ k, silhouette: score.value, stability });
  }
  const stable = curve.filter((p) => p.stability >= AUTO_K.minStability);
  const pool = stable.length > 0 ? stable : curve;
  const best = pool.reduce((a, b) => (b.silhouette > a.silhouette ? b : a));
  return { chosen: best.k, curve };
}
