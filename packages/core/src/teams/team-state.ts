import { clusterMix, deviation } from './scores.js';

/** Weight of a missing cluster share against squared balance deviation in the optimiser's cost. */
const MIX_WEIGHT = 0.02;
/** Weight of the spread penalty (squared share deviation of the spread column's values). */
const SPREAD_WEIGHT = 0.05;

/** What the optimiser knows about the people: energies, clusters, spread values. */
export interface TeamPeople {
  /** 4 energy percentages per row. */
  energies: Float64Array;
  /** Cluster of each row, 0..k-1. */
  cluster: Int32Array;
  k: number;
  /** Value index of each row in the spread column, or null when nothing is spread. */
  spread: Int32Array | null;
  /** Number of distinct spread values. */
  spreadValues: number;
}

/**
 * A partition of rows into teams with every running total the cost needs, so that a swap or a
 * move is scored in O(1) (O(values) with a spread column). The cost of a team is its squared
 * balance deviation, plus small penalties for clusters it lacks and for an uneven spread.
 */
export class TeamState {
  readonly teamOf: Int32Array;
  readonly members: number[][];
  private readonly position: Int32Array;
  readonly sums: Float64Array;
  readonly sizes: Int32Array;
  private readonly clusterCounts: Int32Array;
  readonly distinct: Int32Array;
  private readonly spreadCounts: Int32Array;
  private readonly spreadShare: Float64Array;
  readonly costs: Float64Array;

  constructor(
    readonly people: TeamPeople,
    readonly teams: number,
  ) {
    const n = people.cluster.length;
    this.teamOf = new Int32Array(n).fill(-1);
    this.members = Array.from({ length: teams }, () => []);
    this.position = new Int32Array(n);
    this.sums = new Float64Array(teams * 4);
    this.sizes = new Int32Array(teams);
    this.clusterCounts = new Int32Array(teams * people.k);
    this.distinct = new Int32Array(teams);
    this.spreadCounts = new Int32Array(teams * Math.max(1, people.spreadValues));
    this.spreadShare = new Float64Array(Math.max(1, people.spreadValues));
    if (people.spread) for (let r = 0; r < n; r++) this.spreadShare[people.spread[r]!]! += 1 / n;
    this.costs = new Float64Array(teams);
  }

  /** Puts an unplaced row into a team. */
  add(row: number, team: number): void {
    this.teamOf[row] = team;
    this.position[row] = this.members[team]!.length;
    this.members[team]!.push(row);
    this.account(row, team, 1);
    this.costs[team] = this.teamCost(team);
  }

  /** Takes a row out of its team. */
  private remove(row: number): void {
    const team = this.teamOf[row]!;
    const list = this.members[team]!;
    const last = list.pop()!;
    if (last !== row) {
      list[this.position[row]!] = last;
      this.position[last] = this.position[row]!;
    }
    this.account(row, team, -1);
    this.teamOf[row] = -1;
  }

  private account(row: number, team: number, sign: 1 | -1): void {
    const { energies, cluster, k, spread, spreadValues } = this.people;
    for (let c = 0; c < 4; c++) this.sums[team * 4 + c]! += sign * energies[row * 4 + c]!;
    this.sizes[team]! += sign;
    const slot = team * k + cluster[row]!;
    if (sign > 0 && this.clusterCounts[slot]!++ === 0) this.distinct[team]!++;
    if (sign < 0 && --this.clusterCounts[slot]! === 0) this.distinct[team]!--;
    if (spread) this.spreadCounts[team * spreadValues + spread[row]!]! += sign;
  }

  /** Cost of a team as it stands. */
  teamCost(team: number): number {
    return this.costWith(team, -1, -1);
  }

  /**
   * Cost the team would have with row `out` taken out and row `into` put in (either may be -1),
   * computed without changing anything.
   */
  costWith(team: number, out: number, into: number): number {
    const { energies, cluster, k, spread, spreadValues } = this.people;
    let size = this.sizes[team]!;
    let d = 0;
    if (out >= 0) size--;
    if (into >= 0) size++;
    if (size === 0) return 0;
    for (let c = 0; c < 4; c++) {
      let s = this.sums[team * 4 + c]!;
      if (out >= 0) s -= energies[out * 4 + c]!;
      if (into >= 0) s += energies[into * 4 + c]!;
      d += Math.abs(s / size - 25);
    }
    let distinct = this.distinct[team]!;
    const co = out >= 0 ? cluster[out]! : -1;
    const ci = into >= 0 ? cluster[into]! : -1;
    if (co !== ci) {
      if (co >= 0 && this.clusterCounts[team * k + co] === 1) distinct--;
      if (ci >= 0 && this.clusterCounts[team * k + ci] === 0) distinct++;
    }
    const balanceTerm = (d / 150) ** 2;
    const mixTerm = MIX_WEIGHT * (1 - clusterMix(distinct, size, k)) ** 2;
    if (!spread) return balanceTerm + mixTerm;
    let spreadTerm = 0;
    const vo = out >= 0 ? spread[out]! : -1;
    const vi = into >= 0 ? spread[into]! : -1;
    for (let v = 0; v < spreadValues; v++) {
      let count = this.spreadCounts[team * spreadValues + v]!;
      if (v === vo) count--;
      if (v === vi) count++;
      spreadTerm += (count / size - this.spreadShare[v]!) ** 2;
    }
    return balanceTerm + mixTerm + SPREAD_WEIGHT * spreadTerm;
  }

  /** Change in total cost if rows `a` and `b` (in different teams) swapped teams. */
  swapDelta(a: number, b: number): number {
    const ta = this.teamOf[a]!;
    const tb = this.teamOf[b]!;
    return this.costWith(ta, a, b) + this.costWith(tb, b, a) - this.costs[ta]! - this.costs[tb]!;
  }

  /** Change in total cost if row `a` moved to team `to`. */
  moveDelta(a: number, to: number): number {
    const from = this.teamOf[a]!;
    return this.costWith(from, a, -1) + this.costWith(to, -1, a) - this.costs[from]! - this.costs[to]!;
  }

  /** Swaps two rows between their teams. */
  swap(a: number, b: number): void {
    const ta = this.teamOf[a]!;
    const tb = this.teamOf[b]!;
    this.remove(a);
    this.remove(b);
    this.add(a, tb);
    this.add(b, ta);
  }

  /** Moves a row to another team. */
  move(a: number, to: number): void {
    const from = this.teamOf[a]!;
    this.remove(a);
    this.add(a, to);
    this.costs[from] = this.teamCost(from);
  }

  /** L1 deviation of a team's mean from balanced. */
  deviation(team: number): number {
    return deviation(this.sums, team * 4, this.sizes[team]!);
  }
}
