/**
 * Baseline: a seeded random split into teams of given sizes (a Fisher–Yates shuffle of the rows,
 * then consecutive slices). The floor any team-formation method should beat. Not part of the
 * product; `bench/teams.ts` runs it.
 */
import { randomStream } from '../../packages/core/src/index.ts';

/**
 * Splits rows 0..n-1 at random into teams of `sizes` (which must add up to n). Identical n, sizes
 * and seed give identical teams.
 *
 * @returns the teams, each a list of rows, one per entry of `sizes`
 */
export function randomTeams(n: number, sizes: readonly number[], seed: number): Int32Array[] {
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total !== n) throw new RangeError(`team sizes add up to ${total}, not ${n}`);
  const stream = randomStream(seed, 'bench:random-teams');
  const rows = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = stream.int(i + 1);
    const t = rows[i]!;
    rows[i] = rows[j]!;
    rows[j] = t;
  }
  const teams: Int32Array[] = [];
  let start = 0;
  for (const size of sizes) {
    teams.push(rows.slice(start, start + size));
    start += size;
  }
  return teams;
}
