import type { ClusteringResult, TeamFormationResult } from '@insights/core';

/** A team-formation result as `insights teams --format json` prints it and the worker stores it. */
export type TeamsResult = ClusteringResult & TeamFormationResult;

/**
 * Each person's energies, so the wheel can place them: person `i` is `ids[i]` with energy
 * percentages `energies[4*i .. 4*i+3]` (red, blue, green, yellow). The core's `ProfileSet` and the
 * store's `DatasetContent` both have this shape. Metadata columns are never read.
 */
export interface PeopleEnergies {
  readonly ids: readonly string[];
  readonly energies: ArrayLike<number>;
}

/** Options of both report renderers. */
export interface ReportOptions {
  /**
   * The people's energies, to draw one dot per person on the wheel. A result holds only who is in
   * which cluster; without this the wheel shows the cluster centroids alone, and says so.
   */
  people?: PeopleEnergies;
  /**
   * Replace every employee_id with a pseudonym derived from it and this salt (see
   * `pseudonymiser`). The same ids and salt always give the same pseudonyms.
   */
  anonymise?: { salt: string };
  /**
   * A display label per employee_id (a name, say), shown beside the id wherever a person is named.
   * Never shown unless asked for, always escaped, and left out with `anonymise`. Build it from an
   * input column with {@link labelsFromColumn}.
   */
  labels?: { column: string; values: ReadonlyMap<string, string> };
  /** Title at the top of the report (default "Clusters" or "Teams"). */
  title?: string;
  /** When the report was made, shown in its header; left out when not given (the renderers read no clock). */
  generatedAt?: Date;
}
