import { wheelPosition, type ClusteringResult, type WheelType } from '@insights/core';
import type { PeopleEnergies } from './types.js';

/** One person as the wheel draws them. */
export interface PlacedPerson {
  employee_id: string;
  cluster: number;
  /** Degrees counter-clockwise from east. */
  angle: number;
  /** 0 balanced … 1 a single energy. */
  radius: number;
  type: WheelType;
}

/** Everyone of a result placed on the wheel, and how many could not be (no energies for them). */
export interface Placement {
  placed: PlacedPerson[];
  missing: number;
}

/**
 * Wheel positions of the result's people, from their energies via the core's `wheelPosition`, in
 * the result's order. People without energies (none given, or not in them) are counted as missing.
 */
export function placePeople(assignments: ClusteringResult['assignments'], people: PeopleEnergies | undefined): Placement {
  if (people === undefined) return { placed: [], missing: assignments.length };
  const rowOf = new Map<string, number>();
  people.ids.forEach((id, row) => rowOf.set(id, row));
  const placed: PlacedPerson[] = [];
  const e = people.energies;
  for (const { employee_id, cluster } of assignments) {
    const row = rowOf.get(employee_id);
    if (row === undefined || 4 * row + 3 >= e.length) continue;
    const at = wheelPosition(e[4 * row]!, e[4 * row + 1]!, e[4 * row + 2]!, e[4 * row + 3]!);
    placed.push({ employee_id, cluster, angle: at.angle, radius: at.radius, type: at.type });
  }
  return { placed, missing: assignments.length - placed.length };
}
