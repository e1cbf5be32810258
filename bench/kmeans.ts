/**
 * Our k-means against ml-kmeans (the array-of-arrays implementation it would otherwise be) in the
 * same run, on seeded 4-D Gaussian blobs of 10,000 and 100,000 rows, k = 6: time, and the inertia
 * each reaches, so that the times compare fits of equal quality.
 *
 * Three fits per size: ours with its ten restarts on every row (`restartRows` = n: the same work
 * as ten ml-kmeans runs), ours at its defaults (restarts on a 10,000-row sample, the winner refined
 * on every row: what the product runs), and the best of ten ml-kmeans k-means++ runs (seeds 1–10).
 * ml-kmeans gets its rows as arrays built before the clock starts. Each fit runs once untimed, then
 * `--runs` times (default 3); the median is reported.
 *
 * Run: npx tsx bench/kmeans.ts [--runs N]
 */
import { parseArgs } from 'node:util';
import { kmeans as mlKmeans } from 'ml-kmeans';
import { kmeans, randomStream, type Matrix } from '../packages/core/src/index.ts';
import { machine, printJson, round } from './lib/report.ts';
import { median } from './lib/timing.ts';

const SIZES = [10_000, 100_000] as const;
const K = 6;
const COLS = 4;
const DATA_SEED = 7;
const RESTARTS = 10;

/** `rows` points around K centres spread 10 apart (unit spread), so there is one clear optimum. */
function blobs(rows: number): Matrix {
  const stream = randomStream(DATA_SEED, `bench-kmeans:${rows}`);
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - stream.next())) * Math.cos(2 * Math.PI * stream.next());
  const centres = Array.from({ length: K }, () => Array.from({ length: COLS }, () => stream.next() * 40));
  const data = new Float64Array(rows * COLS);
  for (let i = 0; i < rows; i++) {
    const centre = centres[i % K]!;
    for (let c = 0; c < COLS; c++) data[i * COLS + c] = centre[c]! + normal();
  }
  return { data, rows, cols: COLS };
}

/** Sum of squared distances of each row to the mean of its cluster: the inertia of a partition, however it was found. */
function partitionInertia(points: Matrix, labels: ArrayLike<number>): number {
  const sums = new Float64Array(K * COLS);
  const counts = new Float64Array(K);
  for (let i = 0; i < points.rows; i++) {
    counts[labels[i]!]!++;
    for (let c = 0; c < COLS; c++) sums[labels[i]! * COLS + c]! += points.data[i * COLS + c]!;
  }
  let total = 0;
  for (let i = 0; i < points.rows; i++) {
    for (let c = 0; c < COLS; c++) {
      const d = points.data[i * COLS + c]! - sums[labels[i]! * COLS + c]! / counts[labels[i]!]!;
      total += d * d;
    }
  }
  return total;
}

/** Runs `fit` once untimed, then `runs` timed times: median seconds and the inertia of the last fit. */
function measure(runs: number, fit: () => number): { seconds: number; inertia: number } {
  fit();
  const times: number[] = [];
  let inertia = NaN;
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    inertia = fit();
    times.push((performance.now() - started) / 1000);
  }
  return { seconds: round(median(times), 4), inertia };
}

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' } } });
const runs = Number(values.runs);

const results = SIZES.map((n) => {
  const points = blobs(n);
  const rows = Array.from({ length: n }, (_, i) => Array.from(points.data.subarray(i * COLS, (i + 1) * COLS)));
  const oursAllRows = measure(runs, () => partitionInertia(points, kmeans(points, { k: K, seed: 42, nInit: RESTARTS, restartRows: n }).labels));
  const oursDefault = measure(runs, () => partitionInertia(points, kmeans(points, { k: K, seed: 42 }).labels));
  const theirs = measure(runs, () => {
    let best = Infinity;
    for (let seed = 1; seed <= RESTARTS; seed++) {
      best = Math.min(best, partitionInertia(points, mlKmeans(rows, K, { seed, initialization: 'kmeans++', maxIterations: 300 }).clusters));
    }
    return best;
  });
  const relative = (inertia: number): number => Number(((inertia - theirs.inertia) / theirs.inertia).toExponential(2));
  return {
    rows: n,
    k: K,
    ml_kmeans_best_of_10: { seconds: theirs.seconds, inertia: round(theirs.inertia, 3) },
    ours_10_restarts_all_rows: { seconds: oursAllRows.seconds, inertia: round(oursAllRows.inertia, 3), inertia_vs_ml_kmeans: relative(oursAllRows.inertia) },
    ours_default: { seconds: oursDefault.seconds, inertia: round(oursDefault.inertia, 3), inertia_vs_ml_kmeans: relative(oursDefault.inertia) },
    speedup_all_rows: round(theirs.seconds / oursAllRows.seconds, 2),
    speedup_default: round(theirs.seconds / oursDefault.seconds, 2),
  };
});

printJson({ benchmark: 'kmeans', machine: machine(), runs, results });
