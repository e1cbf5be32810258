import { InvalidInputError } from '../errors.js';
import { buildModel } from '../model/model.js';
import { relabelBySize, summariseClusters } from '../interpret/clusters.js';
import { kmeans } from '../kmeans/kmeans.js';
import type { Matrix } from '../kmeans/matrix.js';
import type { ProfileSet } from '../profiles/types.js';
import { calinskiHarabasz, clusterCentroids, daviesBouldin, inertia } from '../quality/dispersion.js';
import { silhouette } from '../quality/silhouette.js';
import { bootstrapStability } from '../quality/stability.js';
import { inputScalingOf, type FeatureInput, type InputScaling } from '../reservoirs/input.js';
import { extractFeatures, featureGroups, featureWidth, type Reservoir, type ReservoirParams } from '../reservoirs/registry.js';
import { chooseK } from './auto-k.js';
import { canonicalOrder, permuteRows } from './canonical-order.js';
import { embedBlocks, type Embedding, type FeatureBlock } from './embedding.js';
import { consensusStrength, weighMembers, type WeighedMembers } from './hybrid.js';
import type { Method } from './limits.js';
import { resolveOptions, type ClusteringOptionsInput, type ResolvedOptions } from './options.js';
import type { ClusteringResult, HybridContribution } from './result.js';

/** The stages a run reports progress for. */
export type Stage = 'features' | 'clustering' | 'scoring';

/** What the caller lends the core: a clock for timings, a progress callback. */
export interface RunHooks {
  /** Milliseconds from any origin; without it, timings are reported as 0. */
  now?: () => number;
  onProgress?: (stage: Stage) => void;
}

/**
 * Computes one reservoir's features for every row (in the canonical order given). The default
 * runs in the calling thread; the CLI and the worker pass one that spreads rows over threads.
 */
export type FeatureExecutor = (reservoir: Reservoir, input: FeatureInput, params: ReservoirParams, seed: number) => Promise<Float64Array>;

/** Reservoirs whose features a method clusters on. */
export function reservoirsOf(method: Method): Reservoir[] {
  if (method === 'kmeans') return [];
  return method === 'hybrid' ? ['esn', 'snn', 'lsm'] : [method];
}

interface Plan {
  profiles: ProfileSet;
  options: ResolvedOptions;
  order: Int32Array;
  ids: string[];
  energies: Float64Array;
  scaling: InputScaling;
  hooks: RunHooks;
  /** Clock reading before the rows were put in canonical order. */
  sortStarted: number;
  started: number;
}

/** Clusters a validated profile set in the calling thread. */
export function clusterProfiles(profiles: ProfileSet, options: ClusteringOptionsInput = {}, hooks: RunHooks = {}): ClusteringResult {
  const plan = makePlan(profiles, options, hooks);
  const blocks = reservoirsOf(plan.options.method).map((reservoir) => {
    const width = featureWidth(reservoir, plan.options.reservoirs);
    const out = new Float64Array(plan.ids.length * width);
    extractFeatures(reservoir, { energies: plan.energies, ids: plan.ids, scaling: plan.scaling }, plan.options.reservoirs, plan.options.seed, out);
    return block(plan, reservoir, out, width);
  });
  return finish(plan, blocks);
}

/** Clusters a validated profile set, computing reservoir features with the given executor. */
export async function clusterProfilesWith(
  executor: FeatureExecutor,
  profiles: ProfileSet,
  options: ClusteringOptionsInput = {},
  hooks: RunHooks = {},
): Promise<ClusteringResult> {
  const plan = makePlan(profiles, options, hooks);
  const blocks: FeatureBlock[] = [];
  for (const reservoir of reservoirsOf(plan.options.method)) {
    const out = await executor(reservoir, { energies: plan.energies, ids: plan.ids, scaling: plan.scaling }, plan.options.reservoirs, plan.options.seed);
    blocks.push(block(plan, reservoir, out, featureWidth(reservoir, plan.options.reservoirs)));
  }
  return finish(plan, blocks);
}

function makePlan(profiles: ProfileSet, input: ClusteringOptionsInput, hooks: RunHooks): Plan {
  const options = resolveOptions(input);
  const n = profiles.ids.length;
  const needed = options.clusters === 'auto' ? 3 : options.clusters;
  if (n < needed) {
    const asked = options.clusters === 'auto' ? 'choosing k automatically needs at least 3' : `${needed} clusters were requested`;
    throw new InvalidInputError([{ reason: `fewer rows than clusters: ${n} valid row${n === 1 ? '' : 's'}, but ${asked}` }]);
  }
  const distinct = countDistinctProfiles(profiles.energies, needed);
  if (distinct < needed) {
    throw new InvalidInputError([
      {
        reason: `fewer distinct profiles than clusters: ${distinct} distinct energy profile${distinct === 1 ? '' : 's'}, but ${
          options.clusters === 'auto' ? 'choosing k automatically needs at least 3' : `${needed} clusters were requested`
        }`,
      },
    ]);
  }
  const sortStarted = now(hooks);
  const order = canonicalOrder(profiles.ids);
  const ids = Array.from(order, (i) => profiles.ids[i]!);
  const energies = permuteRows(profiles.energies, 4, order);
  hooks.onProgress?.('features');
  return { profiles, options, order, ids, energies, scaling: inputScalingOf(energies), hooks, sortStarted, started: now(hooks) };
}

/** Distinct energy rows, counting no further than `enough`. */
function countDistinctProfiles(energies: Float64Array, enough: number): number {
  const seen = new Set<string>();
  for (let r = 0; r < energies.length / 4 && seen.size < enough; r++) {
    seen.add(`${energies[r * 4]},${energies[r * 4 + 1]},${energies[r * 4 + 2]},${energies[r * 4 + 3]}`);
  }
  return seen.size;
}

function block(plan: Plan, reservoir: Reservoir, data: Float64Array, width: number): FeatureBlock {
  return {
    reservoir,
    raw: { data, rows: plan.ids.length, cols: width },
    groups: featureGroups(reservoir, plan.options.reservoirs),
    weight: plan.options.hybridWeights[reservoir],
  };
}

function contribution(weighed: WeighedMembers, labels: Int32Array, k: number): HybridContribution {
  return {
    weights: weighed.weights,
    agreement: weighed.agreement,
    consensus: consensusStrength(labels, k, weighed.votes),
    sample_size: weighed.votes.sample ? weighed.votes.sample.length : labels.length,
  };
}

function now(hooks: RunHooks): number {
  return hooks.now ? hooks.now() : 0;
}

function finish(plan: Plan, blocks: FeatureBlock[]): ClusteringResult {
  const { options, hooks } = plan;
  const n = plan.ids.length;
  const energies: Matrix = { data: plan.energies, rows: n, cols: 4 };
  const fixedK = options.clusters === 'auto' ? null : options.clusters;
  // With k given, the members are weighed before the one embedding; with `auto`, k is chosen in
  // the space of the caller's weights first, and the members are weighed for that k afterwards.
  let weighed = fixedK !== null && blocks.length > 1 ? weighMembers(blocks, fixedK, options.seed) : null;
  let embedding: Embedding | null = blocks.length > 0 ? embedBlocks(weighed ? weighed.blocks : blocks, options.seed) : null;
  const fallbackReason = embedding && !embedding.ok ? embedding.reason : null;
  const featuresDone = now(hooks);

  hooks.onProgress?.('clustering');
  const autoK = fixedK === null ? chooseK(embedding?.ok ? embedding.space : energies, energies, options) : null;
  const k = autoK ? autoK.chosen : fixedK!;
  if (autoK && embedding?.ok && blocks.length > 1) {
    weighed = weighMembers(blocks, k, options.seed);
    if (weighed) embedding = embedBlocks(weighed.blocks, options.seed);
  }
  const space = embedding?.ok ? embedding.space : energies;
  const fit = kmeans(space, { k, seed: options.seed, nInit: options.nInit });
  const labels = relabelBySize(fit.labels, k, plan.energies);
  const clusterOf = new Int32Array(k);
  for (let r = 0; r < n; r++) clusterOf[fit.labels[r]!] = labels[r]!;
  const hybrid = weighed && embedding?.ok ? contribution(weighed, labels, k) : null;
  const clusteringDone = now(hooks);

  hooks.onProgress?.('scoring');
  const score = silhouette(energies, labels, k, { seed: options.seed, maxExactRows: options.silhouetteMaxRows });
  const quality = {
    silhouette: score.value,
    silhouette_sample_size: score.sampleSize,
    calinski_harabasz: calinskiHarabasz(energies, labels, k),
    davies_bouldin: daviesBouldin(energies, labels, k),
    inertia: inertia(energies, labels, clusterCentroids(energies, labels, k).centroids),
    stability: options.stabilityRuns > 0 ? bootstrapStability(space, labels, { k, seed: options.seed, runs: options.stabilityRuns }) : null,
  };
  const done = now(hooks);

  const assignments = new Array<{ employee_id: string; cluster: number }>(n);
  for (let r = 0; r < n; r++) {
    const inputRow = plan.order[r]!;
    assignments[inputRow] = { employee_id: plan.ids[r]!, cluster: labels[r]! };
  }
  return {
    method: options.method,
    k,
    seed: options.seed,
    n,
    assignments,
    clusters: summariseClusters(plan.energies, labels, k),
    quality,
    auto_k: autoK,
    fallback: { used: fallbackReason !== null, reason: fallbackReason },
    feature_components: embedding?.ok ? embedding.components : {},
    ...(hybrid ? { hybrid } : {}),
    model: buildModel({
      method: options.method,
      seed: options.seed,
      k,
      reservoirs: blocks.map((b) => b.reservoir),
      reservoirParams: options.reservoirs,
      scaling: plan.scaling,
      transform: embedding?.ok ? embedding.transform : null,
      centroids: fit.centroids,
      clusterOf,
    }),
    skipped: [...plan.profiles.skipped],
    timings_ms: {
      sort: plan.started - plan.sortStarted,
      features: featuresDone - plan.started,
      clustering: clusteringDone - featuresDone,
      quality: done - clusteringDone,
      total: done - plan.sortStarted,
    },
  };
}
