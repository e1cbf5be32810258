import { ENERGIES } from '../profiles/index.js';
import type { ClusterSummary } from '../interpret/clusters.js';
import { hungarian } from './hungarian.js';

/**
 * How a run's clusters relate to an earlier run's: ids that stay with a cluster across runs, the
 * clusters that are new or gone, who moved, and how far the matched centroids drifted.
 */
export interface ClusterIdentity {
  /** Stable id of each cluster of this run (index = the run's cluster id). */
  stable_ids: number[];
  /** Matched pairs: this run's cluster, its stable id, and the centroid drift in percentage points. */
  matched: { cluster: number; stable_id: number; drift: number }[];
  /** Clusters of this run that match none of the earlier run's: given fresh stable ids. */
  new: { cluster: number; stable_id: number }[];
  /** Stable ids of the earlier run that no cluster of this run took over. */
  vanished: number[];
  /** People in both runs, and how many of them changed stable id. */
  people: { common: number; moved: number; joined: number; left: number };
  /** Movements between stable ids (people in both runs), largest first. */
  flows: { from: number; to: number; people: number }[];
}

/** The parts of a clustering result that matching reads. */
export interface MatchableRun {
  clusters: readonly ClusterSummary[];
  assignments: readonly { employee_id: string; cluster: number }[];
}

/**
 * Matches this run's clusters to an earlier run's by their centroids in the energy space (which
 * every method shares), with the Hungarian method minimising the total distance. The earlier
 * run's own stable ids are kept when it had some, so ids carry across a chain of runs.
 */
export function matchClusters(previous: MatchableRun & { identity?: Pick<ClusterIdentity, 'stable_ids'> }, current: MatchableRun): ClusterIdentity {
  const before = previous.clusters;
  const after = current.clusters;
  const previousIds = previous.identity?.stable_ids ?? before.map((c) => c.id);
  const cost = after.map((a) => before.map((b) => Math.sqrt(ENERGIES.reduce((sum, e) => sum + (a.centroid[e] - b.centroid[e]) ** 2, 0))));
  const pairs = hungarian(cost, before.length);
  let nextId = Math.max(-1, ...previousIds) + 1;
  const stable: number[] = new Array<number>(after.length);
  const matched: ClusterIdentity['matched'] = [];
  const fresh: ClusterIdentity['new'] = [];
  const taken = new Set<number>();
  after.forEach((cluster, i) => {
    const j = pairs[i]!;
    if (j >= 0) {
      stable[cluster.id] = previousIds[j]!;
      taken.add(j);
      matched.push({ cluster: cluster.id, stable_id: previousIds[j]!, drift: cost[i]![j]! });
    } else {
      stable[cluster.id] = nextId;
      fresh.push({ cluster: cluster.id, stable_id: nextId++ });
    }
  });
  const vanished = before
    .map((_, j) => j)
    .filter((j) => !taken.has(j))
    .map((j) => previousIds[j]!);

  const was = new Map(previous.assignments.map((a) => [a.employee_id, previousIds[before.findIndex((c) => c.id === a.cluster)]!]));
  const flows = new Map<string, { from: number; to: number; people: number }>();
  let common = 0;
  let moved = 0;
  for (const a of current.assignments) {
    const from = was.get(a.employee_id);
    if (from === undefined) continue;
    common++;
    const to = stable[a.cluster]!;
    if (from === to) continue;
    moved++;
    const key = `${from}>${to}`;
    const flow = flows.get(key) ?? { from, to, people: 0 };
    flow.people++;
    flows.set(key, flow);
  }
  return {
    stable_ids: stable,
    matched,
    new: fresh,
    vanished,
    people: { common, moved, joined: current.assignments.length - common, left: previous.assignments.length - common },
    flows: [...flows.values()].sort((a, b) => b.people - a.people || a.from - b.from || a.to - b.to),
  };
}
