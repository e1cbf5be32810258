import { InvalidInputError } from '../errors.js';
import { wheelPosition } from '../interpret/wheel.js';
import type { RowConstraints } from './constraints.js';
import type { SizePlan } from './team-sizes.js';
import type { TeamState } from './team-state.js';

/** Whether a unit of rows may join a team: room left and nobody it must be kept apart from. */
function fits(state: TeamState, constraints: RowConstraints, unit: readonly number[], team: number, capacity: number): boolean {
  if (state.sizes[team]! + unit.length > capacity) return false;
  for (const row of unit) for (const other of constraints.apart[row]!) if (state.teamOf[other] === team) return false;
  return true;
}

/**
 * The starting partition. keepTogether groups go first, largest first, each into the team with
 * most room. Everyone else is dealt like cards in a snake draft (teams 1…T, then T…1), cluster by
 * cluster and, within a cluster, round the wheel, so every team starts with a share of each
 * cluster and of each part of the wheel. Sizes end within the plan, or the error says why not.
 */
export function constructTeams(state: TeamState, constraints: RowConstraints, plan: SizePlan, lines: Int32Array, lineUnit: string): void {
  const targets = [...plan.targets];
  const groups = constraints.units.filter((u) => u.length > 1).sort((a, b) => b.length - a.length || a[0]! - b[0]!);
  for (const unit of groups) {
    const who = `the keepTogether group holding ${lineUnit} ${lines[unit[0]!]}`;
    let team = mostRoom(state, constraints, unit, targets, targets);
    if (team < 0 && !plan.sizesFixed) {
      team = mostRoom(
        state,
        constraints,
        unit,
        targets,
        targets.map(() => plan.max),
      );
      if (team >= 0) growTarget(targets, team, state.sizes[team]! + unit.length, state, plan, who);
    }
    if (team < 0)
      throw new InvalidInputError([
        { reason: `cannot place ${who}: no team has room for it within the team sizes, apart from people it must be kept apart from` },
      ]);
    for (const row of unit) state.add(row, team);
  }
  dealSingles(state, constraints, targets, lines, lineUnit);
}

/** The team with the most room left under `capacity` that can take the unit, or -1. */
function mostRoom(state: TeamState, constraints: RowConstraints, unit: readonly number[], targets: readonly number[], capacity: readonly number[]): number {
  let best = -1;
  for (let t = 0; t < targets.length; t++) {
    if (!fits(state, constraints, unit, t, capacity[t]!)) continue;
    if (best < 0 || targets[t]! - state.sizes[t]! > targets[best]! - state.sizes[best]!) best = t;
  }
  return best;
}

/** Raises one team's target and lowers others' so the targets still add up to everyone. */
function growTarget(targets: number[], team: number, size: number, state: TeamState, plan: SizePlan, who: string): void {
  let excess = size - targets[team]!;
  targets[team] = size;
  while (excess > 0) {
    let shrink = -1;
    for (let t = 0; t < targets.length; t++) {
      if (t === team || targets[t]! <= Math.max(plan.min, state.sizes[t]!)) continue;
      if (shrink < 0 || targets[t]! > targets[shrink]!) shrink = t;
    }
    if (shrink < 0) {
      throw new InvalidInputError([{ reason: `cannot place ${who}: with it, the other teams could not all keep at least ${plan.min} people` }]);
    }
    targets[shrink]!--;
    excess--;
  }
}

/** Snake-drafts everyone not in a group; a person nobody can take triggers one repair move. */
function dealSingles(state: TeamState, constraints: RowConstraints, targets: readonly number[], lines: Int32Array, lineUnit: string): void {
  const teams = targets.length;
  const { energies, cluster } = state.people;
  const singles = constraints.units.filter((u) => u.length === 1).map((u) => u[0]!);
  const angle = new Float64Array(energies.length / 4);
  for (const row of singles) {
    const e = row * 4;
    angle[row] = wheelPosition(energies[e]!, energies[e + 1]!, energies[e + 2]!, energies[e + 3]!).angle;
  }
  singles.sort((a, b) => cluster[a]! - cluster[b]! || angle[a]! - angle[b]! || a - b);
  let step = 0;
  for (const row of singles) {
    let placed = false;
    for (let tries = 0; tries < 2 * teams && !placed; tries++, step++) {
      const round = Math.floor(step / teams);
      const t = round % 2 === 0 ? step % teams : teams - 1 - (step % teams);
      if (fits(state, constraints, [row], t, targets[t]!)) {
        state.add(row, t);
        placed = true;
      }
    }
    if (!placed && !makeRoom(state, constraints, row, targets)) {
      throw new InvalidInputError([
        {
          reason: `cannot place the person on ${lineUnit} ${lines[row]}: every team with room holds someone they must be kept apart from (keepApart and team sizes conflict)`,
        },
      ]);
    }
  }
}

/**
 * Places `row` in some team by first moving elsewhere the people there it must be kept apart
 * from, and one more person if the team is then still full — each to a team with room where
 * they are allowed. Moves are undone when a team cannot be cleared. False if none can.
 */
function makeRoom(state: TeamState, constraints: RowConstraints, row: number, targets: readonly number[]): boolean {
  for (let team = 0; team < targets.length; team++) {
    const blockers = state.members[team]!.filter((m) => constraints.apart[row]!.includes(m));
    const moved: [number, number][] = [];
    const moveAway = (member: number): boolean => {
      if (constraints.pinned[member]) return false;
      for (let open = 0; open < targets.length; open++) {
        if (open === team || !fits(state, constraints, [member], open, targets[open]!)) continue;
        moved.push([member, team]);
        state.move(member, open);
        return true;
      }
      return false;
    };
    let cleared = blockers.every(moveAway);
    if (cleared && state.sizes[team]! >= targets[team]!) cleared = state.members[team]!.some((m) => moveAway(m));
    if (cleared && fits(state, constraints, [row], team, targets[team]!)) {
      state.add(row, team);
      return true;
    }
    for (const [member, from] of moved.reverse()) state.move(member, from);
  }
  return false;
}
