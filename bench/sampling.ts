/**
 * The error the core's sampling introduces, against the exact computation, on the benchmark data
 * sets (every synthetic scenario, data seed 1, k = 4, energies as the CSV reader normalises them):
 *
 * - k-means restarts on a 10,000-row sample then refined on every row, against all ten restarts
 *   on every row: inertia ratio, ARI between the two partitions, time of each;
 * - silhouette on a seeded sample of 2,000 / 4,000 / 10,000 rows (several sample seeds), against
 *   the exact mean silhouette of every row: mean and largest absolute error, time;
 * - bootstrap stability scored on a 10,000-row evaluation sample, against scoring every row.
 *
 * Run: npx tsx bench/sampling.ts [--rows N] [--silhouette-rows N] [--seeds S]
 *   --rows N             rows for k-means and stability (default 100000)
 *   --silhouette-rows N  rows for the silhouette comparison, whose exact value is O(N²) (default 20000)
 *   --seeds S            sample seeds per silhouette size (default 5)
 */
import { adjustedRandIndex, bootstrapStability, generateSynthetic, kmeans, silhouette, SYNTHETIC_SCENARIOS, type Matrix } from '../packages/core/src/index.ts';
import { toProfileSet } from './lib/population.ts';
import { machine, printJson, round } from './lib/report.ts';

const K = 4;
const SEED = 42;
const SILHOUETTE_SIZES = [2_000, 4_000, 10_000];

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
}

function timed<T>(run: () => T): { value: T; ms: number } {
  const started = performance.now();
  const value = run();
  return { value, ms: round(performance.now() - started, 1) };
}

function energiesOf(scenario: (typeof SYNTHETIC_SCENARIOS)[number], n: number): Matrix {
  const set = toProfileSet(generateSynthetic(scenario, n, 1));
  return { data: set.energies, rows: n, cols: 4 };
}

function kmeansAndStability(points: Matrix): Record<string, unknown> {
  const exact = timed(() => kmeans(points, { k: K, seed: SEED, restartRows: Infinity }));
  const sampled = timed(() => kmeans(points, { k: K, seed: SEED }));
  const labels = sampled.value.labels;
  const stabilityExact = timed(() => bootstrapStability(points, labels, { k: K, seed: SEED, maxEvaluationRows: Infinity }));
  const stabilitySampled = timed(() => bootstrapStability(points, labels, { k: K, seed: SEED }));
  return {
    kmeans: {
      inertia_ratio_sampled_over_exact: round(sampled.value.inertia / exact.value.inertia, 6),
      ari_sampled_vs_exact: round(adjustedRandIndex(exact.value.labels, labels), 6),
      exact_ms: exact.ms,
      sampled_ms: sampled.ms,
    },
    stability: {
      exact: round(stabilityExact.value, 4),
      sampled: round(stabilitySampled.value, 4),
      abs_error: round(Math.abs(stabilityExact.value - stabilitySampled.value), 4),
      exact_ms: stabilityExact.ms,
      sampled_ms: stabilitySampled.ms,
    },
  };
}

function silhouetteError(points: Matrix, seeds: number): Record<string, unknown> {
  const { labels } = kmeans(points, { k: K, seed: SEED });
  const exact = timed(() => silhouette(points, labels, K, { seed: SEED, maxExactRows: points.rows }));
  const sizes = SILHOUETTE_SIZES.filter((s) => s < points.rows).map((size) => {
    const errors: number[] = [];
    const times: number[] = [];
    for (let seed = 1; seed <= seeds; seed++) {
      const sampled = timed(() => silhouette(points, labels, K, { seed, maxExactRows: size }));
      errors.push(sampled.value.value - exact.value.value);
      times.push(sampled.ms);
    }
    return {
      sample_rows: size,
      mean_abs_error: round(errors.reduce((a, e) => a + Math.abs(e), 0) / errors.length, 4),
      max_abs_error: round(Math.max(...errors.map(Math.abs)), 4),
      errors: errors.map((e) => round(e, 4)),
      median_ms: round([...times].sort((a, b) => a - b)[times.length >> 1]!, 1),
    };
  });
  return { exact: round(exact.value.value, 4), exact_ms: exact.ms, sampled: sizes };
}

const rows = flag('--rows', 100_000);
const silhouetteRows = flag('--silhouette-rows', 20_000);
const seeds = flag('--seeds', 5);
const scenarios: Record<string, unknown> = {};
for (const scenario of SYNTHETIC_SCENARIOS) {
  process.stderr.write(`${scenario}\n`);
  scenarios[scenario] = {
    [`at_${rows}`]: kmeansAndStability(energiesOf(scenario, rows)),
    [`silhouette_at_${silhouetteRows}`]: silhouetteError(energiesOf(scenario, silhouetteRows), seeds),
  };
}
printJson({ benchmark: 'sampling-error', k: K, seed: SEED, rows, silhouette_rows: silhouetteRows, ...machine(), scenarios });
