import { InvalidInputError } from '../errors.js';

/** Lower and upper size bound of every team, and the sizes the construction aims for. */
export interface SizePlan {
  targets: number[];
  min: number;
  max: number;
  /** Whether sizes must stay as planned (`teams` N: they differ by at most one). */
  sizesFixed: boolean;
}

/** Sizes that differ by at most one and add up to n. */
function evenSizes(n: number, teams: number): number[] {
  const base = Math.floor(n / teams);
  const extra = n % teams;
  return Array.from({ length: teams }, (_, t) => base + (t < extra ? 1 : 0));
}

/**
 * Plans team sizes: `teams` N gives N teams whose sizes differ by at most one (and stay so);
 * `teamSize` [min, max] gives the fewest teams that fit, sizes even, free to move within the range.
 * When no number of teams fits the population, the error says which sizes would.
 */
export function planSizes(n: number, teams: number | undefined, teamSize: [number, number] | undefined): SizePlan {
  if (n === 0) throw new InvalidInputError([{ reason: 'no people to form teams from' }]);
  if (teams !== undefined) {
    if (teams > n) throw new InvalidInputError([{ reason: `cannot form ${teams} teams from ${n} people: at most ${n} teams` }]);
    const targets = evenSizes(n, teams);
    return { targets, min: Math.min(...targets), max: Math.max(...targets), sizesFixed: true };
  }
  const [min, max] = teamSize!;
  const count = Math.ceil(n / max);
  if (count * min > n) {
    const fewer = Math.floor(n / min);
    const hint = fewer >= 1 ? `; ${fewer} team${fewer === 1 ? '' : 's'} of ${min}–${Math.ceil(n / fewer)} would fit` : '';
    throw new InvalidInputError([
      { reason: `cannot split ${n} people into teams of ${min}–${max}: ${count} teams need at least ${count * min} people${hint}` },
    ]);
  }
  return { targets: evenSizes(n, count), min, max, sizesFixed: false };
}
