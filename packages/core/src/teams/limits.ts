/**
 * Team formation's contract values: bounds, defaults and the strategy's name. Declared here once;
 * the core's schema, the job payload schema, the HTTP API, the CLI and the exporter derive from them.
 */
import type { IntegerBound } from '../pipeline/limits.js';

/** Bounds and defaults of the integer team options. */
export const TEAM_LIMITS = {
  /** Number of teams. */
  teams: { min: 1 },
  /** Each end of a `[smallest, largest]` team size. */
  teamSize: { min: 1 },
  /** Local-search moves tried at most, per person. */
  movesPerPerson: { min: 0, max: 10_000, default: 60 },
} as const satisfies Record<string, IntegerBound>;

/** Team-formation strategies by the name a job summary reports them with (the exporter's `strategy` label values). */
export const TEAM_STRATEGIES = ['local-search'] as const;
export type TeamStrategy = (typeof TEAM_STRATEGIES)[number];

/** The strategy `formTeams` uses: a balanced construction improved by local search. */
export const TEAM_STRATEGY: TeamStrategy = 'local-search';
