/**
 * Clustering quality against known truth: the adjusted Rand index (ARI) of every method on each
 * synthetic scenario (n = 2000, data seeds 1–3, k = 4) and on Iris (k = 3), and two checks per
 * data set: every reservoir method within 0.05 of k-means, and hybrid at least as good as k-means.
 *
 * Run: npx tsx bench/quality.ts
 */
import { readFileSync } from 'node:fs';
import {
  METHODS,
  SYNTHETIC_SCENARIOS,
  adjustedRandIndex,
  clusterProfiles,
  generateSynthetic,
  parseProfilesCsv,
  type Method,
  type ProfileSet,
} from '../packages/core/src/index.ts';
import { toProfileSet } from './lib/population.ts';
import { machine, printJson, round } from './lib/report.ts';

const N = 2000;
const DATA_SEEDS = [1, 2, 3];
const SYNTHETIC_K = 4;
const IRIS_K = 3;
const CLUSTER_SEED = 42;
/** A reservoir method passes when its ARI is at most this far below k-means' ARI. */
const TOLERANCE = 0.05;
const RESERVOIR_METHODS: readonly Method[] = ['esn', 'snn', 'lsm', 'hybrid'];
const IRIS = new URL('../test/fixtures/iris.csv', import.meta.url);

/** One labelled data set: profiles, each person's true class (-1: leave out of the ARI). */
interface Labelled {
  profiles: ProfileSet;
  truth: Map<string, number>;
}

/**
 * ARI of one clustering against the truth, over the people whose truth is not -1. Outliers stay
 * in the clustering (they pull centroids about, as they would in real data) but have no true
 * class to be scored against.
 */
function ariOf(data: Labelled, method: Method, k: number): number {
  // Stability does not change the labels, only a score this benchmark does not read.
  const result = clusterProfiles(data.profiles, { method, clusters: k, seed: CLUSTER_SEED, stabilityRuns: 0 });
  const predicted: number[] = [];
  const truth: number[] = [];
  for (const { employee_id, cluster } of result.assignments) {
    const t = data.truth.get(employee_id)!;
    if (t === -1) continue;
    predicted.push(cluster);
    truth.push(t);
  }
  return adjustedRandIndex(predicted, truth);
}

function synthetic(scenario: (typeof SYNTHETIC_SCENARIOS)[number], seed: number): Labelled {
  const population = generateSynthetic(scenario, N, seed);
  const truth = new Map(population.ids.map((id, i) => [id, population.truth[i]!]));
  return { profiles: toProfileSet(population), truth };
}

function iris(): Labelled {
  const profiles = parseProfilesCsv(readFileSync(IRIS, 'utf8'));
  const species = profiles.metadata.species;
  if (!species) throw new Error('test/fixtures/iris.csv has no species column');
  const classes = [...new Set(species)];
  const truth = new Map(profiles.ids.map((id, i) => [id, classes.indexOf(species[i]!)]));
  return { profiles, truth };
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Mean ARI per method over the data set's seeds, and the two checks with their margins. */
function evaluate(name: string, k: number, seeds: (number | null)[], load: (seed: number | null) => Labelled) {
  const perSeed: Record<string, number[]> = {};
  for (const method of METHODS) perSeed[method] = [];
  for (const seed of seeds) {
    const data = load(seed);
    for (const method of METHODS) perSeed[method]!.push(ariOf(data, method, k));
  }
  const meanAri = Object.fromEntries(METHODS.map((m) => [m, mean(perSeed[m]!)])) as Record<Method, number>;
  const kmeans = meanAri.kmeans;
  const withinTolerance = Object.fromEntries(
    RESERVOIR_METHODS.map((m) => {
      const margin = meanAri[m] - (kmeans - TOLERANCE);
      return [m, { ari_minus_kmeans: round(meanAri[m] - kmeans, 4), margin: round(margin, 4), pass: margin >= 0 }];
    }),
  );
  const hybridMargin = meanAri.hybrid - kmeans;
  return {
    dataset: name,
    n: seeds[0] === null ? undefined : N,
    k,
    data_seeds: seeds[0] === null ? undefined : seeds,
    mean_ari: Object.fromEntries(METHODS.map((m) => [m, round(meanAri[m], 4)])),
    ari_per_seed: Object.fromEntries(METHODS.map((m) => [m, perSeed[m]!.map((v) => round(v, 4))])),
    checks: {
      reservoir_within_tolerance_of_kmeans: {
        tolerance: TOLERANCE,
        pass: Object.values(withinTolerance).every((c) => c.pass),
        methods: withinTolerance,
      },
      hybrid_at_least_kmeans: { margin: round(hybridMargin, 4), pass: hybridMargin >= 0 },
    },
  };
}

const started = performance.now();
const datasets = [
  ...SYNTHETIC_SCENARIOS.map((scenario) => evaluate(scenario, SYNTHETIC_K, DATA_SEEDS, (seed) => synthetic(scenario, seed!))),
  evaluate('iris', IRIS_K, [null], () => iris()),
];
const failures = datasets.flatMap((d) => [
  ...Object.entries(d.checks.reservoir_within_tolerance_of_kmeans.methods)
    .filter(([, c]) => !c.pass)
    .map(([m, c]) => `${d.dataset}: ${m} ARI is ${-c.ari_minus_kmeans} below k-means (tolerance ${TOLERANCE})`),
  ...(d.checks.hybrid_at_least_kmeans.pass ? [] : [`${d.dataset}: hybrid ARI is ${-d.checks.hybrid_at_least_kmeans.margin} below k-means`]),
]);

printJson({
  benchmark: 'quality',
  description: 'Adjusted Rand index against the true archetypes (synthetic) or species (Iris); outliers are clustered but left out of the ARI',
  cluster_seed: CLUSTER_SEED,
  machine: machine(),
  datasets,
  all_checks_pass: failures.length === 0,
  failures,
  elapsed_seconds: round((performance.now() - started) / 1000, 1),
});
