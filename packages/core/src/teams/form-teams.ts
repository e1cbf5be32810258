import { InvalidInputError } from '../errors.js';
import { wheelPosition, type WheelType } from '../interpret/wheel.js';
import { canonicalOrder, permuteRows } from '../pipeline/canonical-order.js';
import type { Energy, ProfileSet } from '../profiles/types.js';
import { randomStream } from '../random/seeded.js';
import { resolveConstraints } from './constraints.js';
import { constructTeams } from './construct.js';
import { improveTeams, type SearchReport } from './improve.js';
import { resolveTeamOptions, type TeamOptionsInput } from './options.js';
import { balanceOf, clusterMix, populationBalance } from './scores.js';
import { planSizes } from './team-sizes.js';
import { TeamState } from './team-state.js';

/** One team as reported. */
export interface Team {
  /** 1-based team number. */
  id: number;
  /** employee_ids, in input order. */
  members: string[];
  size: number;
  /** Mean energy percentages of the members. */
  energy_mean: Record<Energy, number>;
  /** 1 − ‖mean − 25‖₁ / 150. */
  balance: number;
  /** Distinct clusters / min(size, k). */
  cluster_mix: number;
  /** Clusters present, ascending. */
  clusters: number[];
  /** Insights wheel types of the members, each listed once, in order of first appearance. */
  wheel_types: WheelType[];
  /** Members per value of the spread column, when one was given. */
  spread?: Record<string, number>;
}

/** What team formation adds to a clustering result. */
export interface TeamFormationResult {
  teams: Team[];
  /** People left out, with why. Always empty today: sizes that cannot fit are refused instead. */
  unassigned: { employee_id: string; reason: string }[];
  score: {
    /** Mean team balance. */
    mean: number;
    /** Balance of the least balanced team. */
    worst: number;
    /** Balance of the whole population's mean: the ceiling for every team. */
    population_balance: number;
    cluster_mix_mean: number;
    cluster_mix_worst: number;
  };
  search: { moves_tried: number; moves_applied: number; stopped: SearchReport['stopped'] };
}

/**
 * Splits everyone into teams that each hold the four energies in balance and mix clusters:
 * a snake-draft construction, then a seeded local search (see improveTeams). Everyone ends in
 * exactly one team; sizes stay within the plan; keepApart, keepTogether and spreadBy hold.
 * Identical input and seed give identical teams, whatever the row order.
 *
 * @param clusters cluster of each row of `profiles`, 0..k-1
 */
export function formTeams(profiles: ProfileSet, clusters: ArrayLike<number>, input: TeamOptionsInput): TeamFormationResult {
  const options = resolveTeamOptions(input);
  const n = profiles.ids.length;
  if (clusters.length !== n) throw new RangeError(`${clusters.length} cluster labels for ${n} people`);
  const plan = planSizes(n, options.teams, options.teamSize as [number, number] | undefined);

  const order = canonicalOrder(profiles.ids);
  const ids = Array.from(order, (row) => profiles.ids[row]!);
  const energies = permuteRows(profiles.energies, 4, order);
  const cluster = Int32Array.from(order, (row) => clusters[row]!);
  if (cluster.some((label, i) => label !== clusters[order[i]!])) throw new RangeError('cluster labels must be whole numbers');
  const lines = Int32Array.from(order, (row) => profiles.lines[row]!);
  const k = clusterCount(cluster);
  const spread = spreadColumn(profiles, order, options.spreadBy);

  const constraints = resolveConstraints(ids, options.keepApart, options.keepTogether, plan.max);
  const state = new TeamState({ energies, cluster, k, spread: spread?.index ?? null, spreadValues: spread?.values.length ?? 0 }, plan.targets.length);
  constructTeams(state, constraints, plan, lines, profiles.lineUnit);
  const report = improveTeams(state, constraints, plan, randomStream(options.seed, 'teams'), {
    budget: options.movesPerPerson * n,
    patience: Math.max(5_000, 30 * n),
  });

  const inputRow = new Int32Array(n);
  order.forEach((row, canonical) => (inputRow[canonical] = row));
  const teams = state.members.map((rows, t) => describeTeam(state, t, rows, ids, inputRow, k, spread?.values ?? null));
  return {
    teams,
    unassigned: [],
    score: {
      mean: round(mean(teams.map((t) => t.balance))),
      worst: round(Math.min(...teams.map((t) => t.balance))),
      population_balance: round(populationBalance(energies)),
      cluster_mix_mean: round(mean(teams.map((t) => t.cluster_mix))),
      cluster_mix_worst: round(Math.min(...teams.map((t) => t.cluster_mix))),
    },
    search: { moves_tried: report.movesTried, moves_applied: report.movesApplied, stopped: report.stopped },
  };
}

/** Number of clusters, checking that labels are whole numbers from 0. */
function clusterCount(cluster: Int32Array): number {
  let max = 0;
  for (let r = 0; r < cluster.length; r++) {
    const label = cluster[r]!;
    if (label < 0) throw new RangeError(`cluster labels must be 0 or more; row ${r} has ${label}`);
    max = Math.max(max, label);
  }
  return max + 1;
}

function spreadColumn(profiles: ProfileSet, order: Int32Array, column: string | undefined): { index: Int32Array; values: string[] } | null {
  if (column === undefined) return null;
  const values = profiles.metadata[column];
  if (!values) {
    const known = Object.keys(profiles.metadata);
    const hint = known.length > 0 ? `; the data has ${known.map((c) => `"${c}"`).join(', ')}` : '; the data has no extra columns';
    throw new InvalidInputError([{ column, reason: `spreadBy: no such column${hint}` }]);
  }
  const distinct = [...new Set(values)].sort();
  const indexOf = new Map(distinct.map((v, i) => [v, i]));
  return { index: Int32Array.from(order, (row) => indexOf.get(values[row]!)!), values: distinct };
}

function describeTeam(
  state: TeamState,
  team: number,
  rows: readonly number[],
  ids: readonly string[],
  inputRow: Int32Array,
  k: number,
  spreadValues: string[] | null,
): Team {
  const sorted = [...rows].sort((a, b) => inputRow[a]! - inputRow[b]!);
  const size = rows.length;
  const mean = [0, 1, 2, 3].map((c) => state.sums[team * 4 + c]! / size);
  const { energies, cluster, spread } = state.people;
  const wheelTypes = new Set<WheelType>();
  for (const row of sorted) {
    const e = row * 4;
    wheelTypes.add(wheelPosition(energies[e]!, energies[e + 1]!, energies[e + 2]!, energies[e + 3]!).type);
  }
  const result: Team = {
    id: team + 1,
    members: sorted.map((row) => ids[row]!),
    size,
    energy_mean: { red: round(mean[0]!, 2), blue: round(mean[1]!, 2), green: round(mean[2]!, 2), yellow: round(mean[3]!, 2) },
    balance: round(balanceOf(state.deviation(team))),
    cluster_mix: round(clusterMix(state.distinct[team]!, size, k)),
    clusters: [...new Set(rows.map((row) => cluster[row]!))].sort((a, b) => a - b),
    wheel_types: [...wheelTypes],
  };
  if (spread && spreadValues) {
    const counts: Record<string, number> = {};
    for (const row of rows) counts[spreadValues[spread[row]!]!] = (counts[spreadValues[spread[row]!]!] ?? 0) + 1;
    result.spread = counts;
  }
  return result;
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function round(value: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
