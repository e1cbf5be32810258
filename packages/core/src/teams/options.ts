import { z } from 'zod';
import { InvalidOptionsError } from '../errors.js';
import { boundedInteger, CLUSTERING_LIMITS } from '../pipeline/limits.js';
import { TEAM_LIMITS } from './limits.js';

const id = z.string().min(1);

/** Options of team formation; give `teams` or `teamSize`, not both. */
export const TeamOptions = z
  .object({
    /** Number of teams; sizes then differ by at most one. */
    teams: boundedInteger(TEAM_LIMITS.teams).optional(),
    /** Smallest and largest team size; the number of teams is the fewest that fits. */
    teamSize: z.tuple([boundedInteger(TEAM_LIMITS.teamSize), boundedInteger(TEAM_LIMITS.teamSize)]).optional(),
    /** Seed of the optimiser's random choices (default 42). */
    seed: boundedInteger(CLUSTERING_LIMITS.seed).default(CLUSTERING_LIMITS.seed.default),
    /** Pairs of employee_ids that must not share a team. */
    keepApart: z.array(z.tuple([id, id])).default([]),
    /** Groups of employee_ids that must share a team. */
    keepTogether: z.array(z.array(id).min(2)).default([]),
    /** A metadata column (department, site…) whose values are spread evenly across teams. */
    spreadBy: z.string().min(1).optional(),
    /** Local-search moves tried at most, per person (default 60). */
    movesPerPerson: boundedInteger(TEAM_LIMITS.movesPerPerson).default(TEAM_LIMITS.movesPerPerson.default),
  })
  .strict()
  .superRefine((o, ctx) => {
    if ((o.teams === undefined) === (o.teamSize === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'give either teams or teamSize (exactly one)', path: ['teams'] });
    }
    if (o.teamSize && o.teamSize[0] > o.teamSize[1]) {
      ctx.addIssue({ code: 'custom', message: `smallest size ${o.teamSize[0]} is above largest ${o.teamSize[1]}`, path: ['teamSize'] });
    }
  });
export type TeamOptionsInput = z.input<typeof TeamOptions>;
export type ResolvedTeamOptions = z.output<typeof TeamOptions>;

/** Validates team options, reporting every problem at once. */
export function resolveTeamOptions(input: TeamOptionsInput): ResolvedTeamOptions {
  const parsed = TeamOptions.safeParse(input);
  if (!parsed.success) {
    throw new InvalidOptionsError(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'options'}: ${issue.message}`));
  }
  return parsed.data;
}
