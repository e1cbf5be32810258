import { normal, randomStream } from './random/seeded.js';

/** Named synthetic populations with known archetypes, for tests, benchmarks and the examples. */
export const SYNTHETIC_SCENARIOS = ['separated', 'overlapping', 'unequal', 'outliers'] as const;
export type SyntheticScenario = (typeof SYNTHETIC_SCENARIOS)[number];

/** A generated population: raw energies (before normalisation) and each person's true archetype. */
export interface SyntheticPopulation {
  ids: string[];
  /** 4 raw energies per person (red, blue, green, yellow), each 0–100. */
  energies: Float64Array;
  /** Archetype each person was drawn from, or -1 for an outlier drawn uniformly. */
  truth: Int32Array;
  /** The archetype centres in energy space. */
  archetypes: number[][];
}

/** The four classic Insights archetypes: one dominant energy each. */
const ARCHETYPES: number[][] = [
  [62, 18, 6, 14],
  [16, 60, 16, 8],
  [6, 18, 60, 16],
  [18, 6, 14, 62],
];

/** Archetypes closer together: dominant energies only about 20 points above the rest. */
const OVERLAPPING: number[][] = [
  [40, 22, 16, 22],
  [22, 40, 22, 16],
  [16, 22, 40, 22],
  [22, 16, 22, 40],
];

const SCENARIOS: Record<SyntheticScenario, { centres: number[][]; weights: number[]; noise: number; outliers: number }> = {
  separated: { centres: ARCHETYPES, weights: [1, 1, 1, 1], noise: 5, outliers: 0 },
  overlapping: { centres: OVERLAPPING, weights: [1, 1, 1, 1], noise: 6, outliers: 0 },
  unequal: { centres: ARCHETYPES, weights: [0.55, 0.25, 0.14, 0.06], noise: 6, outliers: 0 },
  outliers: { centres: ARCHETYPES, weights: [1, 1, 1, 1], noise: 5, outliers: 0.05 },
};

/**
 * Generates `n` synthetic people for a scenario, deterministically from `seed`. Each person draws
 * from their own stream, so the first m people of a larger population are the same m people.
 * SYNTHETIC DATA: these are not real people.
 */
export function generateSynthetic(scenario: SyntheticScenario, n: number, seed: number): SyntheticPopulation {
  const { centres, weights, noise, outliers } = SCENARIOS[scenario];
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const ids: string[] = [];
  const energies = new Float64Array(n * 4);
  const truth = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const id = `S${String(i + 1).padStart(6, '0')}`;
    const stream = randomStream(seed, `${scenario}:${id}`);
    ids.push(id);
    if (stream.next() < outliers) {
      truth[i] = -1;
      for (let c = 0; c < 4; c++) energies[i * 4 + c] = 5 + stream.next() * 70;
      continue;
    }
    let pick = stream.next() * totalWeight;
    let archetype = 0;
    while (archetype < weights.length - 1 && (pick -= weights[archetype]!) >= 0) archetype++;
    truth[i] = archetype;
    for (let c = 0; c < 4; c++) {
      energies[i * 4 + c] = Math.max(0.5, centres[archetype]![c]! + noise * normal(stream));
    }
  }
  return { ids, energies, truth, archetypes: centres };
}
