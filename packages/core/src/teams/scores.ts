/**
 * Team scores. Balance: 1 − ‖team mean energy % − (25, 25, 25, 25)‖₁ / 150, so 1 means the four
 * energies are equal on average and 0 a single pure energy. Cluster mix: distinct clusters in the
 * team / min(team size, k).
 */

/** L1 distance of a mean profile (sums / size) from the balanced (25, 25, 25, 25). */
export function deviation(sums: Float64Array, offset: number, size: number): number {
  if (size === 0) return 0;
  let d = 0;
  for (let c = 0; c < 4; c++) d += Math.abs(sums[offset + c]! / size - 25);
  return d;
}

/** Balance of a mean profile given its L1 deviation. */
export function balanceOf(deviationFromBalanced: number): number {
  return 1 - deviationFromBalanced / 150;
}

/** Balance of the whole population's mean profile: the ceiling every team is measured against. */
export function populationBalance(energies: Float64Array): number {
  const rows = energies.length / 4;
  const sums = new Float64Array(4);
  for (let r = 0; r < rows; r++) for (let c = 0; c < 4; c++) sums[c]! += energies[r * 4 + c]!;
  return balanceOf(deviation(sums, 0, rows));
}

/** Cluster mix of a team holding `distinct` clusters among `size` people, with k clusters in all. */
export function clusterMix(distinct: number, size: number, k: number): number {
  const possible = Math.min(size, k);
  return possible > 0 ? distinct / possible : 1;
}
