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
 * cluster and of each part of the wheel.
 */
export function constructTeams(state: TeamState, constraints: RowConstraints, plan: SizePlan, lines: Int32Array, lineUnit: string): void {
  const teams = plan.targets.length;
  const groups = constraints.units.filter((u) => u.length > 1).sort((a, b) => b.length - a.length || a[0]! - b[0]!);
  for (const unit of groups) {
    let best = -1;
    for (let t = 0; t < teams; t++) {
      if (!fits(state, constraints, unit, t, plan.max)) continue;
      if (best < 0 || plan.targets[t]! - state.sizes[t]! > plan.targets[best]! - state.sizes[best]!) best = t;
    }
    if (best < 0) throw unplaceable(`the keepTogether group holding ${lineUnit} ${lines[unit[0]!]}`);
    for (const row of unit) state.add(row, best);
  }

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
      if (fits(state, constraints, [row], t, plan.targets[t]!)) {
        state.add(row, t);
        placed = true;
      }
    }
    for (let t = 0; t < teams && !placed; t++) {
      if (fits(state, constraints, [row], t, plan.max)) {
        state.add(row, t);
        placed = true;
      }
    }
    if (!placed) throw unplaceable(`the person on ${lineUnit} ${lines[row]}`);
  }
}

function unplaceable(who: string): InvalidInputError {
  return new InvalidInputError([
    { reason: `cannot place ${who}: every team with room holds someone they must be kept apart from (keepApart and team sizes conflict)` },
  ]);
}
