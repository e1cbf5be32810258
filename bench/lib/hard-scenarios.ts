import { randomStream, type RandomStream } from '../../packages/core/src/index.ts';
import type { Population } from './population.ts';

/**
 * Synthetic populations on which k-means is known to struggle, for `bench/quality.ts`. They add
 * to the core's `generateSynthetic` scenarios (which the tests and examples rely on and which
 * stay as they are). SYNTHETIC DATA: these are not real people.
 */
export const HARD_SCENARIOS = ['unequal-spread', 'overlapping-outliers', 'outliers-10', 'elongated'] as const;
export type HardScenario = (typeof HARD_SCENARIOS)[number];

/** A generated population with each person's true class (-1: an outlier, no class). */
export interface LabelledPopulation extends Population {
  readonly truth: Int32Array;
}

/** One cluster: centre, spread along each axis of `axes` (or isotropic when none) and share. */
interface Component {
  centre: number[];
  share: number;
  /** Isotropic standard deviation, in percentage points, added to every energy. */
  noise: number;
  /** An extra direction (summing to zero, so it stays on the simplex) and its standard deviation. */
  stretch?: { direction: number[]; sd: number };
}

interface Spec {
  components: Component[];
  /** Share of people drawn uniformly from the wheel instead. */
  outliers: number;
}

const ARCHETYPES = [
  [62, 18, 6, 14],
  [16, 60, 16, 8],
  [6, 18, 60, 16],
  [18, 6, 14, 62],
];

const OVERLAPPING = [
  [40, 22, 16, 22],
  [22, 40, 22, 16],
  [16, 22, 40, 22],
  [22, 16, 22, 40],
];

/** Half-way between the two: dominant energies about 30 points above the rest. */
const CLOSER = ARCHETYPES.map((a, i) => a.map((x, c) => (x + OVERLAPPING[i]![c]!) / 2));

const unit = (v: number[]) => {
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
};

/** Red against blue: the long axis of every elongated band. */
const LONG = unit([1, -1, 0, 0]);

const SPECS: Record<HardScenario, Spec> = {
  // Sizes 55/25/14/6 % and spreads from tight to wide (the smallest cluster is the widest), with
  // the archetypes closer together than in `generateSynthetic`'s `unequal`.
  'unequal-spread': {
    components: [
      { centre: CLOSER[0]!, share: 0.55, noise: 4 },
      { centre: CLOSER[1]!, share: 0.25, noise: 6 },
      { centre: CLOSER[2]!, share: 0.14, noise: 8 },
      { centre: CLOSER[3]!, share: 0.06, noise: 11 },
    ],
    outliers: 0,
  },
  // The hard case of the issue: archetypes 18 points apart, noise 7, and 8 % outliers.
  'overlapping-outliers': {
    components: OVERLAPPING.map((centre) => ({ centre, share: 1, noise: 7 })),
    outliers: 0.08,
  },
  'outliers-10': {
    components: CLOSER.map((centre) => ({ centre, share: 1, noise: 6 })),
    outliers: 0.1,
  },
  // Four parallel bands, long along red–blue (sd 10) and thin across (sd 2.5), 12 points apart
  // along green–yellow and red+blue against green+yellow: k-means prefers to cut them crosswise.
  elongated: {
    components: [
      [25, 25, 31, 19],
      [25, 25, 19, 31],
      [31, 31, 19, 19],
      [19, 19, 31, 31],
    ].map((centre) => ({ centre, share: 1, noise: 2.5, stretch: { direction: LONG, sd: 10 } })),
    outliers: 0,
  },
};

function gaussian(stream: RandomStream): number {
  let u = stream.next();
  while (u === 0) u = stream.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * stream.next());
}

/**
 * Generates `n` people of a scenario, deterministically from `seed`; each person draws from their
 * own stream. Energies are raw (the CSV reader normalises them to percentages) and at least 0.5.
 */
export function generateHard(scenario: HardScenario, n: number, seed: number): LabelledPopulation {
  const { components, outliers } = SPECS[scenario];
  const totalShare = components.reduce((a, c) => a + c.share, 0);
  const ids: string[] = [];
  const energies = new Float64Array(n * 4);
  const truth = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const id = `H${String(i + 1).padStart(6, '0')}`;
    const stream = randomStream(seed, `${scenario}:${id}`);
    ids.push(id);
    if (stream.next() < outliers) {
      truth[i] = -1;
      for (let c = 0; c < 4; c++) energies[i * 4 + c] = 5 + stream.next() * 70;
      continue;
    }
    let pick = stream.next() * totalShare;
    let index = 0;
    while (index < components.length - 1 && (pick -= components[index]!.share) >= 0) index++;
    const component = components[index]!;
    truth[i] = index;
    const along = component.stretch ? component.stretch.sd * gaussian(stream) : 0;
    for (let c = 0; c < 4; c++) {
      const stretched = component.stretch ? along * component.stretch.direction[c]! : 0;
      energies[i * 4 + c] = Math.max(0.5, component.centre[c]! + stretched + component.noise * gaussian(stream));
    }
  }
  return { ids, energies, truth };
}
