/**
 * Agreement of `assign` with re-clustering, per method: a population is clustered without its
 * last `churn` share of people (the joiners), the joiners are placed with the stored model, and
 * everyone is then clustered afresh. Reported per method, size and churn level:
 *
 * - `joiners_ari`: ARI of the joiners' placements against the fresh run's labels for them;
 * - `stayers_ari` (the peer): ARI of the first run's labels of everyone else against the fresh
 *   run's — how far two clusterings agree at all, the ceiling assignment can hope for;
 * - `self_exact`: whether assigning the first run's own people gives back its labels;
 * - the time to assign the joiners and to cluster everyone again, measured in the same run.
 *
 * Run: npx tsx bench/assign.ts [--sizes 500,2000] [--churn 0.02,0.1]
 */
import { METHODS, adjustedRandIndex, assign, clusterProfiles, generateSynthetic, type ProfileSet } from '../packages/core/src/index.ts';
import { machine, printJson, round } from './lib/report.ts';
import { option } from './lib/services.ts';

const SIZES = option('--sizes', '500,2000').split(',').map(Number);
const CHURN = option('--churn', '0.02,0.1').split(',').map(Number);
const RUN = { clusters: 4, seed: 42, stabilityRuns: 0 } as const;

function profileSet(ids: readonly string[], raw: Float64Array, from: number, to: number): ProfileSet {
  const n = to - from;
  const energies = new Float64Array(n * 4);
  for (let r = 0; r < n; r++) {
    const row = from + r;
    const sum = raw[row * 4]! + raw[row * 4 + 1]! + raw[row * 4 + 2]! + raw[row * 4 + 3]!;
    for (let c = 0; c < 4; c++) energies[r * 4 + c] = (raw[row * 4 + c]! / sum) * 100;
  }
  return { ids: ids.slice(from, to), energies, lines: new Int32Array(n), lineUnit: 'line', metadata: {}, skipped: [] };
}

const rows = [];
for (const n of SIZES) {
  const population = generateSynthetic('overlapping', n, 7);
  const everyone = profileSet(population.ids, population.energies, 0, n);
  for (const churn of CHURN) {
    const stay = n - Math.max(1, Math.round(n * churn));
    const stayers = profileSet(population.ids, population.energies, 0, stay);
    const joiners = profileSet(population.ids, population.energies, stay, n);
    for (const method of METHODS) {
      const first = clusterProfiles(stayers, { method, ...RUN });
      const self = assign(first.model, stayers).map((p) => p.cluster);
      const assignStart = performance.now();
      const placed = assign(first.model, joiners);
      const assignMs = performance.now() - assignStart;
      const freshStart = performance.now();
      const fresh = clusterProfiles(everyone, { method, ...RUN });
      const freshMs = performance.now() - freshStart;
      const freshLabels = fresh.assignments.map((a) => a.cluster);
      rows.push({
        method,
        n,
        churn,
        joiners: n - stay,
        joiners_ari: round(
          adjustedRandIndex(
            freshLabels.slice(stay),
            placed.map((p) => p.cluster),
          ),
        ),
        stayers_ari: round(
          adjustedRandIndex(
            freshLabels.slice(0, stay),
            first.assignments.map((a) => a.cluster),
          ),
        ),
        self_exact: self.every((label, i) => label === first.assignments[i]!.cluster),
        borderline_share: round(placed.filter((p) => p.borderline).length / placed.length),
        assign_ms: round(assignMs, 1),
        fresh_cluster_ms: round(freshMs, 1),
      });
    }
  }
}
printJson({ benchmark: 'assign', machine: machine(), scenario: 'overlapping', ...RUN, rows });
