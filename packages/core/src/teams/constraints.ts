import { InvalidInputError, type InputProblem } from '../errors.js';

/** Constraints in terms of rows: who moves together, who must stay apart. */
export interface RowConstraints {
  /** Unit of each row: rows of one keepTogether group share a unit; everyone else is alone. */
  unitOf: Int32Array;
  /** Rows of each unit. */
  units: number[][];
  /** For each row, the rows it must not share a team with. */
  apart: number[][];
  /** Whether a row belongs to a group of more than one (and so never moves on its own). */
  pinned: Uint8Array;
}

function find(parent: Int32Array, x: number): number {
  while (parent[x] !== x) {
    parent[x] = parent[parent[x]!]!;
    x = parent[x]!;
  }
  return x;
}

/**
 * Resolves keepApart pairs and keepTogether groups to rows, merging groups that share someone.
 * Problems name constraints by position, never by employee_id, so messages can be logged.
 */
export function resolveConstraints(
  ids: readonly string[],
  keepApart: readonly (readonly [string, string])[],
  keepTogether: readonly (readonly string[])[],
  maxTeamSize: number,
): RowConstraints {
  const n = ids.length;
  const rowOf = new Map<string, number>();
  ids.forEach((id, row) => rowOf.set(id, row));
  const problems: InputProblem[] = [];
  const lookup = (id: string, where: string): number | undefined => {
    const row = rowOf.get(id);
    if (row === undefined) problems.push({ reason: `${where}: employee_id is not in the data` });
    return row;
  };

  const parent = Int32Array.from({ length: n }, (_, i) => i);
  keepTogether.forEach((group, g) => {
    const rows = group.map((id, m) => lookup(id, `keepTogether group ${g + 1}, member ${m + 1}`));
    const first = rows[0];
    for (const row of rows) if (row !== undefined && first !== undefined) parent[find(parent, row)] = find(parent, first);
  });
  const apartPairs: [number, number][] = [];
  keepApart.forEach(([a, b], p) => {
    const ra = lookup(a, `keepApart pair ${p + 1}, first`);
    const rb = lookup(b, `keepApart pair ${p + 1}, second`);
    if (ra !== undefined && rb !== undefined) {
      if (ra === rb) problems.push({ reason: `keepApart pair ${p + 1}: names the same person twice` });
      else apartPairs.push([ra, rb]);
    }
  });
  if (problems.length > 0) throw new InvalidInputError(problems);

  const unitOf = new Int32Array(n).fill(-1);
  const units: number[][] = [];
  for (let row = 0; row < n; row++) {
    const root = find(parent, row);
    if (unitOf[root] === -1) {
      unitOf[root] = units.length;
      units.push([]);
    }
    unitOf[row] = unitOf[root]!;
    units[unitOf[row]!]!.push(row);
  }
  const pinned = new Uint8Array(n);
  units.forEach((unit) => {
    if (unit.length > 1) for (const row of unit) pinned[row] = 1;
    if (unit.length > maxTeamSize) {
      problems.push({
        reason: `keepTogether groups ${groupsOf(keepTogether, ids, unit)} need a team of ${unit.length}, larger than the largest team (${maxTeamSize})`,
      });
    }
  });
  const apart: number[][] = Array.from({ length: n }, () => []);
  apartPairs.forEach(([a, b], p) => {
    if (unitOf[a] === unitOf[b]) {
      problems.push({
        reason: `keepApart pair ${p + 1} conflicts with keepTogether groups ${groupsOf(keepTogether, ids, units[unitOf[a]!]!)}: the two must share a team`,
      });
    }
    apart[a]!.push(b);
    apart[b]!.push(a);
  });
  if (problems.length > 0) throw new InvalidInputError(problems);
  return { unitOf, units, apart, pinned };
}

/** The 1-based numbers of the keepTogether groups that make up a merged unit, e.g. "1 and 3". */
function groupsOf(keepTogether: readonly (readonly string[])[], ids: readonly string[], unit: number[]): string {
  const members = new Set(unit.map((row) => ids[row]!));
  const numbers = keepTogether.flatMap((group, g) => (group.some((id) => members.has(id)) ? [g + 1] : []));
  return numbers.length === 1 ? String(numbers[0]) : `${numbers.slice(0, -1).join(', ')} and ${numbers[numbers.length - 1]}`;
}
