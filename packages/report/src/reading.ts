/**
 * Plain-language readings of quality scores. The thresholds are rules of thumb, documented in
 * docs/report.md; each reading says which way is better, because a number alone does not.
 */

/** A score's reading: a short phrase and a tone for styling (good, fair, poor). */
export interface Reading {
  text: string;
  tone: 'good' | 'fair' | 'poor';
}

/**
 * Mean silhouette (−1..1), after Kaufman & Rousseeuw (1990): above 0.70 clearly separated, above
 * 0.50 reasonably separated, above 0.25 overlapping, else no clear structure. The same wording as
 * `insights cluster --format table`.
 */
export function readSilhouette(value: number): Reading {
  if (value > 0.7) return { text: 'clearly separated', tone: 'good' };
  if (value > 0.5) return { text: 'reasonably separated', tone: 'good' };
  if (value > 0.25) return { text: 'overlapping', tone: 'fair' };
  return { text: 'no clear structure', tone: 'poor' };
}

/**
 * Bootstrap stability (mean adjusted Rand index, 0..1): 0.90 and above very stable; 0.80 (the bar
 * `--clusters auto` uses) stable; 0.60 somewhat stable; below 0.60 the clusters may be an artefact
 * of this sample.
 */
export function readStability(value: number): Reading {
  if (value >= 0.9) return { text: 'very stable: the same clusters come back on resampled data', tone: 'good' };
  if (value >= 0.8) return { text: 'stable', tone: 'good' };
  if (value >= 0.6) return { text: 'somewhat stable: some people would move between clusters', tone: 'fair' };
  return { text: 'unstable: the clusters may be an artefact of this sample', tone: 'poor' };
}

/**
 * Davies–Bouldin index (0 and up, lower is better): below 0.75 compact and well apart, below 1.25
 * moderately apart, else overlapping.
 */
export function readDaviesBouldin(value: number): Reading {
  if (value < 0.75) return { text: 'compact clusters, well apart', tone: 'good' };
  if (value < 1.25) return { text: 'moderately apart', tone: 'fair' };
  return { text: 'overlapping clusters', tone: 'poor' };
}

/**
 * Team balance (1 − ‖mean % − 25‖₁ / 150, 0..1) against the population's own balance, which no
 * team can beat on average: within 0.02 of it as balanced as the people allow, within 0.05 close,
 * further below it leaning towards some energies.
 */
export function readTeamBalance(balance: number, population: number): Reading {
  const gap = population - balance;
  if (gap <= 0.02) return { text: 'as balanced as the population allows', tone: 'good' };
  if (gap <= 0.05) return { text: 'close to the population’s balance', tone: 'fair' };
  return { text: 'leans towards some energies', tone: 'poor' };
}

/**
 * Cluster mix (distinct clusters / min(size, k), 0..1): 1 every cluster that could be there is,
 * 0.5 and up mixed, below 0.5 mostly one kind of person.
 */
export function readClusterMix(value: number): Reading {
  if (value >= 0.999) return { text: 'every cluster that fits is present', tone: 'good' };
  if (value >= 0.5) return { text: 'mixed', tone: 'fair' };
  return { text: 'mostly one cluster', tone: 'poor' };
}
