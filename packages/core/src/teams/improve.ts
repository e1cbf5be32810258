import type { RandomStream } from '../random/seeded.js';
import type { RowConstraints } from './constraints.js';
import type { SizePlan } from './team-sizes.js';
import type { TeamState } from './team-state.js';
import { WorstTeamHeap } from './worst-team.js';

/** How the local search ended. */
export interface SearchReport {
  movesTried: number;
  movesApplied: number;
  stopped: 'converged' | 'budget';
}

/** Whether `row` may join `team` if `leaving` (or nobody, -1) leaves it. */
function allowed(state: TeamState, constraints: RowConstraints, row: number, team: number, leaving: number): boolean {
  for (const other of constraints.apart[row]!) if (other !== leaving && state.teamOf[other] === team) return false;
  return true;
}

/**
 * Improves the partition by local search: swaps between teams, and moves of one person when the
 * size range allows, taken whenever they lower the total cost. Half of the tries start from the
 * currently worst team, since the worst team is what people complain about. Stops after
 * `budget` tries, or earlier when `patience` tries in a row found nothing better.
 */
export function improveTeams(
  state: TeamState,
  constraints: RowConstraints,
  plan: SizePlan,
  stream: RandomStream,
  options: { budget: number; patience: number },
): SearchReport {
  const teams = state.teams;
  if (teams < 2) return { movesTried: 0, movesApplied: 0, stopped: 'converged' };
  const heap = new WorstTeamHeap(state.costs);
  let worst = 0;
  let applied = 0;
  let lastImprovement = 0;
  let tried = 0;
  for (; tried < options.budget; tried++) {
    if (tried - lastImprovement > options.patience) return { movesTried: tried, movesApplied: applied, stopped: 'converged' };
    if (tried % 64 === 0) worst = heap.worst();
    const ta = tried % 2 === 0 ? worst : stream.int(teams);
    let tb = stream.int(teams - 1);
    if (tb >= ta) tb++;
    const fromA = state.members[ta]!;
    const fromB = state.members[tb]!;
    if (fromA.length === 0) continue;
    const a = fromA[stream.int(fromA.length)]!;
    if (constraints.pinned[a]) continue;
    let bestDelta = -1e-12;
    let bestKind: 'swap' | 'move' | null = null;
    let b = -1;
    if (fromB.length > 0) {
      b = fromB[stream.int(fromB.length)]!;
      if (!constraints.pinned[b] && allowed(state, constraints, a, tb, b) && allowed(state, constraints, b, ta, a)) {
        const delta = state.swapDelta(a, b);
        if (delta < bestDelta) {
          bestDelta = delta;
          bestKind = 'swap';
        }
      }
    }
    if (!plan.sizesFixed && state.sizes[ta]! > plan.min && state.sizes[tb]! < plan.max && allowed(state, constraints, a, tb, -1)) {
      if (state.moveDelta(a, tb) < bestDelta) bestKind = 'move';
    }
    if (bestKind === 'swap') state.swap(a, b);
    else if (bestKind === 'move') state.move(a, tb);
    if (bestKind !== null) {
      heap.update(ta);
      heap.update(tb);
      applied++;
      lastImprovement = tried;
    }
  }
  return { movesTried: tried, movesApplied: applied, stopped: 'budget' };
}
