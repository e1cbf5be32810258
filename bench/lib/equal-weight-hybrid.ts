import {
  kmeans,
  resolveOptions,
  type ClusteringOptionsInput,
  RESERVOIRS,
  extractFeatures,
  featureWidth,
  type ProfileSet,
} from '../../packages/core/src/index.ts';
import { canonicalOrder, permuteRows } from '../../packages/core/src/pipeline/canonical-order.ts';
import { embedBlocks } from '../../packages/core/src/pipeline/embedding.ts';
import { inputScalingOf } from '../../packages/core/src/reservoirs/input.ts';
import { featureGroups } from '../../packages/core/src/reservoirs/registry.ts';

/**
 * The hybrid as it was before its members were weighed by agreement: the three reservoir blocks
 * at equal weight, embedded together and clustered with k-means, with the same seed, restarts and
 * canonical order as `clusterProfiles`. Kept here as the peer the new hybrid is measured against.
 * `parameters` are the reservoirs' own (as `--set` gives them). Returns each person's cluster
 * keyed by employee_id.
 */
export function equalWeightHybrid(profiles: ProfileSet, k: number, seed: number, parameters: ClusteringOptionsInput = {}): Map<string, number> {
  const options = resolveOptions({ ...parameters, method: 'hybrid', clusters: k, seed });
  const order = canonicalOrder(profiles.ids);
  const ids = Array.from(order, (i) => profiles.ids[i]!);
  const energies = permuteRows(profiles.energies, 4, order);
  const scaling = inputScalingOf(energies);
  const blocks = RESERVOIRS.map((reservoir) => {
    const width = featureWidth(reservoir, options.reservoirs);
    const out = new Float64Array(ids.length * width);
    extractFeatures(reservoir, { energies, ids, scaling }, options.reservoirs, seed, out);
    return { reservoir, raw: { data: out, rows: ids.length, cols: width }, groups: featureGroups(reservoir, options.reservoirs), weight: 1 };
  });
  const embedding = embedBlocks(blocks, seed);
  if (!embedding.ok) throw new Error(`equal-weight hybrid: ${embedding.reason}`);
  const { labels } = kmeans(embedding.space, { k, seed, nInit: options.nInit });
  return new Map(ids.map((id, r) => [id, labels[r]!]));
}
