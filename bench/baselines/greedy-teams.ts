/**
 * Baseline: the Python original's greedy team formation (`generate_balanced_teams`), ported to
 * TypeScript with typed arrays so that a comparison with `formTeams` is about the algorithm, not
 * the language. Not part of the product; `bench/teams.ts` runs it.
 *
 * Teams are formed one after another, each to the maximum size:
 *   1. from each cluster still represented among the people left (clusters with most people left
 *      first, ties by cluster number), its most balanced member: lowest ‖profile − 25‖₁;
 *   2. then, until the team is full, whoever brings the team's mean profile closest (L1) to
 *      (25, 25, 25, 25).
 * The last team takes whoever is left, so it may be smaller than the others (even below any
 * minimum size). Ties go to the person earliest in input order, as `argmin` / a strict `<` over a
 * DataFrame did in the original.
 *
 * It is O(n²) by nature: every one of the ⌈n / max⌉ teams scans everyone still left several
 * times. That is kept on purpose; it is the point of the baseline. Each team eats the best-fitting
 * people first, so the teams formed last are left with whoever nobody wanted.
 *
 * Differences from the Python original, all deliberate: energies are the normalised percentages
 * of the ProfileSet (the original used the raw columns, which the synthetic data only roughly
 * scale to 100); "most balanced member" is the L1 distance from 25 each (the original used the
 * variance of the four energies, which ranks people almost the same way); the last team keeps
 * whoever is left (the original dropped a remainder smaller than its minimum team size, leaving
 * those people in no team).
 */

/**
 * Greedy teams of `maxSize` (the last one may be smaller).
 *
 * @param energies normalised energies, 4 per person (red, blue, green, yellow), rows in input order
 * @param clusters cluster of each person, 0..k-1
 * @returns the teams, each a list of rows, in the order they were formed
 */
export function greedyTeams(energies: Float64Array, clusters: ArrayLike<number>, maxSize: number): Int32Array[] {
  const n = clusters.length;
  if (energies.length !== n * 4) throw new RangeError(`${energies.length / 4} profiles for ${n} cluster labels`);
  if (!Number.isInteger(maxSize) || maxSize < 1) throw new RangeError(`maxSize must be a whole number ≥ 1, got ${maxSize}`);
  let k = 0;
  for (let i = 0; i < n; i++) k = Math.max(k, clusters[i]! + 1);

  // Each person's own distance from balanced, ‖profile − 25‖₁ (used to seed every team).
  const own = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const e = i * 4;
    own[i] = Math.abs(energies[e]! - 25) + Math.abs(energies[e + 1]! - 25) + Math.abs(energies[e + 2]! - 25) + Math.abs(energies[e + 3]! - 25);
  }

  // People not yet in a team, kept in input order (ties go to the earliest), and who is in the
  // team being formed.
  const left = Int32Array.from({ length: n }, (_, i) => i);
  let count = n;
  const inTeam = new Uint8Array(n);
  const clusterCount = new Int32Array(k);
  const clusterBest = new Int32Array(k);
  const clusterBestValue = new Float64Array(k);
  const clusterOrder = Int32Array.from({ length: k }, (_, c) => c);
  const teams: Int32Array[] = [];

  while (count > 0) {
    const target = Math.min(maxSize, count);
    const team = new Int32Array(target);
    let size = 0;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    const add = (row: number): void => {
      team[size++] = row;
      inTeam[row] = 1;
      const e = row * 4;
      s0 += energies[e]!;
      s1 += energies[e + 1]!;
      s2 += energies[e + 2]!;
      s3 += energies[e + 3]!;
    };

    // 1. The most balanced remaining member of each cluster, biggest clusters first.
    clusterCount.fill(0);
    clusterBest.fill(-1);
    clusterBestValue.fill(Infinity);
    for (let j = 0; j < count; j++) {
      const row = left[j]!;
      const c = clusters[row]!;
      clusterCount[c]!++;
      if (own[row]! < clusterBestValue[c]!) {
        clusterBestValue[c] = own[row]!;
        clusterBest[c] = row;
      }
    }
    clusterOrder.sort((a, b) => clusterCount[b]! - clusterCount[a]! || a - b);
    for (let o = 0; o < k && size < target; o++) {
      const c = clusterOrder[o]!;
      if (clusterCount[c]! > 0) add(clusterBest[c]!);
    }

    // 2. Fill up with whoever brings the team mean closest to 25 each.
    while (size < target) {
      const inv = 1 / (size + 1);
      let best = -1;
      let bestValue = Infinity;
      for (let j = 0; j < count; j++) {
        const row = left[j]!;
        if (inTeam[row]) continue;
        const e = row * 4;
        const d =
          Math.abs((s0 + energies[e]!) * inv - 25) +
          Math.abs((s1 + energies[e + 1]!) * inv - 25) +
          Math.abs((s2 + energies[e + 2]!) * inv - 25) +
          Math.abs((s3 + energies[e + 3]!) * inv - 25);
        if (d < bestValue) {
          bestValue = d;
          best = row;
        }
      }
      add(best);
    }

    // Remove the team from the people left, keeping input order.
    let kept = 0;
    for (let j = 0; j < count; j++) {
      const row = left[j]!;
      if (inTeam[row]) inTeam[row] = 0;
      else left[kept++] = row;
    }
    count = kept;
    teams.push(team);
  }
  return teams;
}
