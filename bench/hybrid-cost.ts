/**
 * What weighing the hybrid's members costs: wall clock of `insights cluster FILE --method hybrid
 * --format json` with this checkout's CLI against a baseline checkout's (the commit before),
 * interleaved in the same run, at n = 5,000 and 100,000 (the `overlapping` scenario, seed 1).
 *
 * Also, in this process and more precisely than a whole command's wall clock on a busy machine:
 * the time of the weighing step alone (`weighMembers`) against the time of the step it feeds
 * (embedding the blocks and k-means with the default 10 restarts), on the same features.
 *
 * Run: npm run build && npx tsx bench/hybrid-cost.ts --baseline DIR [--runs N]
 * where DIR is a built checkout of the commit to compare against.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { adjustedRandIndex, extractFeatures, featureWidth, generateSynthetic, kmeans, resolveOptions, RESERVOIRS } from '../packages/core/src/index.ts';
import { canonicalOrder, permuteRows } from '../packages/core/src/pipeline/canonical-order.ts';
import { embedBlocks } from '../packages/core/src/pipeline/embedding.ts';
import { weighMembers } from '../packages/core/src/pipeline/hybrid.ts';
import { inputScalingOf } from '../packages/core/src/reservoirs/input.ts';
import { featureGroups } from '../packages/core/src/reservoirs/registry.ts';
import { populationToCsv } from './lib/population.ts';
import { machine, printJson, round } from './lib/report.ts';
import { median, timeRepeated } from './lib/timing.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const SIZES = [5_000, 100_000];

const { values } = parseArgs({ options: { baseline: { type: 'string' }, runs: { type: 'string', default: '3' } } });
if (!values.baseline) {
  process.stderr.write('usage: npx tsx bench/hybrid-cost.ts --baseline DIR [--runs N]\n');
  process.exit(2);
}
const CLIS = { baseline: join(values.baseline, 'packages/cli/bin/insights.js'), current: join(ROOT, 'packages/cli/bin/insights.js') };
for (const bin of Object.values(CLIS)) if (!existsSync(bin)) throw new Error(`no CLI at ${bin}`);
const RUNS = Number(values.runs);

interface Run {
  seconds: number;
  features_ms: number;
  clustering_ms: number;
  labels: number[];
  hybrid: unknown;
}

function runCli(bin: string, file: string): Run {
  const start = performance.now();
  const child = spawnSync(process.execPath, [bin, 'cluster', file, '--method', 'hybrid', '--format', 'json'], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  const seconds = (performance.now() - start) / 1000;
  if (child.status !== 0) throw new Error(`${bin} exited ${child.status}: ${child.stderr}`);
  const result = JSON.parse(child.stdout) as { assignments: { cluster: number }[]; timings_ms: { features: number; clustering: number }; hybrid?: unknown };
  return {
    seconds,
    features_ms: result.timings_ms.features,
    clustering_ms: result.timings_ms.clustering,
    labels: result.assignments.map((a) => a.cluster),
    hybrid: result.hybrid ?? null,
  };
}

/** Median milliseconds of the weighing step and of embedding + k-means, on the features of n people. */
function inProcess(n: number) {
  const population = generateSynthetic('overlapping', n, 1);
  const options = resolveOptions({ method: 'hybrid' });
  const order = canonicalOrder(population.ids);
  const ids = Array.from(order, (i) => population.ids[i]!);
  const energies = permuteRows(population.energies, 4, order);
  const blocks = RESERVOIRS.map((reservoir) => {
    const width = featureWidth(reservoir, options.reservoirs);
    const out = new Float64Array(n * width);
    extractFeatures(reservoir, { energies, ids, scaling: inputScalingOf(energies) }, options.reservoirs, options.seed, out);
    return { reservoir, raw: { data: out, rows: n, cols: width }, groups: featureGroups(reservoir, options.reservoirs), weight: 1 };
  });
  // Two untimed runs first, so that V8 has optimised the hot loops, then the median of five.
  const time = (run: () => unknown) =>
    round(
      timeRepeated(
        () => {
          const start = performance.now();
          run();
          return { ms: performance.now() - start };
        },
        5,
        2,
      ).median.ms,
      1,
    );
  const weighing = time(() => weighMembers(blocks, 4, options.seed));
  const embedAndCluster = time(() => {
    const embedding = embedBlocks(blocks, options.seed);
    if (embedding.ok) kmeans(embedding.space, { k: 4, seed: options.seed, nInit: options.nInit });
  });
  return { weigh_members_ms_median: weighing, embed_and_kmeans_ms_median: embedAndCluster };
}

function summary(runs: Run[]) {
  return {
    wall_seconds_median: round(median(runs.map((r) => r.seconds)), 2),
    features_ms_median: round(median(runs.map((r) => r.features_ms)), 0),
    clustering_ms_median: round(median(runs.map((r) => r.clustering_ms)), 0),
    wall_seconds: runs.map((r) => round(r.seconds, 2)),
  };
}

mkdirSync(join(ROOT, 'bench/out'), { recursive: true });
const sizes = SIZES.map((n) => {
  const file = join(ROOT, `bench/out/hybrid-cost-${n}.csv`);
  writeFileSync(file, populationToCsv(generateSynthetic('overlapping', n, 1)));
  const runs: Record<keyof typeof CLIS, Run[]> = { baseline: [], current: [] };
  for (let r = 0; r < RUNS; r++) {
    // Alternate which goes first, so that a change in the machine's load hits both alike.
    const order = r % 2 === 0 ? (['baseline', 'current'] as const) : (['current', 'baseline'] as const);
    for (const which of order) {
      process.stderr.write(`n=${n} run ${r + 1}/${RUNS}: ${which}\n`);
      runs[which].push(runCli(CLIS[which], file));
    }
  }
  const baseline = summary(runs.baseline);
  const current = summary(runs.current);
  return {
    n,
    baseline,
    current,
    wall_ratio_current_over_baseline: round(current.wall_seconds_median / baseline.wall_seconds_median, 3),
    added_wall_seconds: round(current.wall_seconds_median - baseline.wall_seconds_median, 2),
    ari_current_vs_baseline_labels: round(adjustedRandIndex(runs.current[0]!.labels, runs.baseline[0]!.labels), 4),
    current_hybrid: runs.current[0]!.hybrid,
    in_process: inProcess(n),
  };
});

printJson({
  benchmark: 'hybrid-cost',
  description: '`insights cluster --method hybrid --format json` wall clock, this checkout against a baseline checkout, interleaved; medians',
  baseline: values.baseline,
  runs: RUNS,
  machine: machine(),
  sizes,
});
