/**
 * Clustering quality against known truth: the adjusted Rand index (ARI) of every method on each
 * scenario — the core's synthetic scenarios, the harder ones of `bench/lib/hard-scenarios.ts`
 * (n = 2000, data seeds 1–10, k = 4) and Iris (k = 3, clustering seeds 42 and 1–9) — with the
 * hybrid's margin over the best single reservoir and over k-means, and the hybrid as it was
 * before (equal weights) as its peer in the same run.
 *
 * Run: npx tsx bench/quality.ts
 */
import { readFileSync } from 'node:fs';
import {
  METHODS,
  RESERVOIRS,
  SYNTHETIC_SCENARIOS,
  adjustedRandIndex,
  clusterProfiles,
  generateSynthetic,
  parseProfilesCsv,
  type ClusteringOptionsInput,
  type Method,
  type ProfileSet,
} from '../packages/core/src/index.ts';
import { equalWeightHybrid } from './lib/equal-weight-hybrid.ts';
import { HARD_SCENARIOS, generateHard, type LabelledPopulation } from './lib/hard-scenarios.ts';
import { toProfileSet } from './lib/population.ts';
import { machine, printJson, round } from './lib/report.ts';

const N = 2000;
const DATA_SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const SYNTHETIC_K = 4;
const IRIS_K = 3;
const CLUSTER_SEED = 42;
/** Iris is one fixed data set: what varies is the seed of the reservoirs and k-means. */
const IRIS_CLUSTER_SEEDS = [42, 1, 2, 3, 4, 5, 6, 7, 8, 9];
/** A reservoir method passes when its ARI is at most this far below k-means' ARI. */
const TOLERANCE = 0.05;
/** The hybrid passes when it is at most this far below the best single reservoir and k-means. */
const HYBRID_TOLERANCE = 0.01;
const RESERVOIR_METHODS: readonly Method[] = ['esn', 'snn', 'lsm', 'hybrid'];
/** The previous hybrid, measured in the same run. */
const PEER = 'hybrid_equal_weights';
const COLUMNS = [...METHODS, PEER] as const;
type Column = (typeof COLUMNS)[number];
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
function ariOf(data: Labelled, clusterOf: (id: string) => number): number {
  const predicted: number[] = [];
  const truth: number[] = [];
  for (const [id, t] of data.truth) {
    if (t === -1) continue;
    predicted.push(clusterOf(id));
    truth.push(t);
  }
  return adjustedRandIndex(predicted, truth);
}

function ariOfColumn(data: Labelled, column: Column, k: number, seed: number, parameters: ClusteringOptionsInput): number {
  if (column === PEER) {
    const labels = equalWeightHybrid(data.profiles, k, seed, parameters);
    return ariOf(data, (id) => labels.get(id)!);
  }
  // Stability does not change the labels, only a score this benchmark does not read.
  const result = clusterProfiles(data.profiles, { ...parameters, method: column, clusters: k, seed, stabilityRuns: 0 });
  const labels = new Map(result.assignments.map((a) => [a.employee_id, a.cluster]));
  return ariOf(data, (id) => labels.get(id)!);
}

function labelled(population: LabelledPopulation): Labelled {
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

/** One scenario: its runs are (data, clustering seed) pairs. */
interface Scenario {
  name: string;
  k: number;
  runs: { dataSeed: number | null; clusterSeed: number }[];
  load: (dataSeed: number | null) => Labelled;
  /** Reservoir parameters of every run (default none: the defaults). */
  parameters?: ClusteringOptionsInput;
}

/** Mean ARI per method over the scenario's runs, the hybrid's margins and the checks. */
function evaluate({ name, k, runs, load, parameters = {} }: Scenario) {
  const perRun = Object.fromEntries(COLUMNS.map((c) => [c, [] as number[]])) as Record<Column, number[]>;
  const loaded = new Map<number | null, Labelled>();
  for (const { dataSeed, clusterSeed } of runs) {
    if (!loaded.has(dataSeed)) loaded.set(dataSeed, load(dataSeed));
    for (const column of COLUMNS) perRun[column].push(ariOfColumn(loaded.get(dataSeed)!, column, k, clusterSeed, parameters));
  }
  const meanAri = Object.fromEntries(COLUMNS.map((c) => [c, mean(perRun[c])])) as Record<Column, number>;
  const kmeans = meanAri.kmeans;
  const best = RESERVOIRS.reduce((a, b) => (meanAri[b] > meanAri[a] ? b : a));
  const margin = (of: Column) => ({ over_best_reservoir: meanAri[of] - meanAri[best], over_kmeans: meanAri[of] - kmeans });
  const hybrid = margin('hybrid');
  const withinTolerance = Object.fromEntries(
    RESERVOIR_METHODS.map((m) => {
      const slack = meanAri[m] - (kmeans - TOLERANCE);
      return [m, { ari_minus_kmeans: round(meanAri[m] - kmeans, 4), margin: round(slack, 4), pass: slack >= 0 }];
    }),
  );
  return {
    dataset: name,
    k,
    parameters,
    runs: runs.map((r) => (r.dataSeed === null ? { cluster_seed: r.clusterSeed } : { data_seed: r.dataSeed, cluster_seed: r.clusterSeed })),
    mean_ari: Object.fromEntries(COLUMNS.map((c) => [c, round(meanAri[c], 4)])),
    ari_per_run: Object.fromEntries(COLUMNS.map((c) => [c, perRun[c].map((v) => round(v, 4))])),
    best_single_reservoir: { method: best, ari: round(meanAri[best], 4) },
    hybrid_margin: { over_best_reservoir: round(hybrid.over_best_reservoir, 4), over_kmeans: round(hybrid.over_kmeans, 4) },
    equal_weights_margin: Object.fromEntries(Object.entries(margin(PEER)).map(([key, v]) => [key, round(v, 4)])),
    checks: {
      // Not asked of a scenario whose reservoir parameters are mis-set on purpose.
      reservoir_within_tolerance_of_kmeans:
        Object.keys(parameters).length > 0
          ? null
          : { tolerance: TOLERANCE, pass: Object.values(withinTolerance).every((c) => c.pass), methods: withinTolerance },
      hybrid_not_below_best_reservoir: { tolerance: HYBRID_TOLERANCE, pass: hybrid.over_best_reservoir >= -HYBRID_TOLERANCE },
      hybrid_not_below_kmeans: { tolerance: HYBRID_TOLERANCE, pass: hybrid.over_kmeans >= -HYBRID_TOLERANCE },
    },
  };
}

const onDataSeeds = DATA_SEEDS.map((dataSeed) => ({ dataSeed, clusterSeed: CLUSTER_SEED }));
const scenarios: Scenario[] = [
  ...SYNTHETIC_SCENARIOS.map((s) => ({ name: s, k: SYNTHETIC_K, runs: onDataSeeds, load: (seed: number | null) => labelled(generateSynthetic(s, N, seed!)) })),
  ...HARD_SCENARIOS.map((s) => ({ name: s, k: SYNTHETIC_K, runs: onDataSeeds, load: (seed: number | null) => labelled(generateHard(s, N, seed!)) })),
  // One member made to add noise: a liquid whose synapses are 20 times too strong.
  {
    name: 'overlapping, noisy lsm',
    k: SYNTHETIC_K,
    runs: onDataSeeds,
    load: (seed: number | null) => labelled(generateSynthetic('overlapping', N, seed!)),
    parameters: { lsm: { synapticScale: 3 } },
  },
  { name: 'iris', k: IRIS_K, runs: IRIS_CLUSTER_SEEDS.map((clusterSeed) => ({ dataSeed: null, clusterSeed })), load: () => iris() },
];

const started = performance.now();
const datasets = scenarios.map(evaluate);
const failures = datasets.flatMap((d) => [
  ...Object.entries(d.checks.reservoir_within_tolerance_of_kmeans?.methods ?? {})
    .filter(([, c]) => !c.pass)
    .map(([m, c]) => `${d.dataset}: ${m} ARI is ${-c.ari_minus_kmeans} below k-means (tolerance ${TOLERANCE})`),
  ...(d.checks.hybrid_not_below_best_reservoir.pass
    ? []
    : [`${d.dataset}: hybrid ARI is ${-d.hybrid_margin.over_best_reservoir} below ${d.best_single_reservoir.method}`]),
  ...(d.checks.hybrid_not_below_kmeans.pass ? [] : [`${d.dataset}: hybrid ARI is ${-d.hybrid_margin.over_kmeans} below k-means`]),
]);

printJson({
  benchmark: 'quality',
  description:
    'Adjusted Rand index against the true classes (synthetic) or species (Iris), mean over runs; outliers are clustered but left out of the ARI. ' +
    `${PEER} is the hybrid before its members were weighed by agreement, measured in the same run.`,
  machine: machine(),
  table: datasets.map((d) => ({
    dataset: d.dataset,
    ...d.mean_ari,
    best_reservoir: d.best_single_reservoir.method,
    ...prefixed('hybrid_minus_', d.hybrid_margin),
  })),
  datasets,
  all_checks_pass: failures.length === 0,
  failures,
  elapsed_seconds: round((performance.now() - started) / 1000, 1),
});

function prefixed(prefix: string, values: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(values).map(([key, v]) => [`${prefix}${key}`, v]));
}
